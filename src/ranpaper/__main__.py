from ranpaper.cli import run

run()
