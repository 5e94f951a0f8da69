"""`python3 -m ranpaper`: the command line (`ranpaper.cli`)."""

from ranpaper.cli import run

run()
