import sys

from ranpaper.cli import main

sys.exit(main())
