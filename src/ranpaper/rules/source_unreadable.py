"""A paper file that cannot be read as text.

## What it finds
A file that is not valid UTF-8 (the finding names the line of the first bad byte), holds NUL
bytes (a binary file), or is larger than the size cap (`max-bytes`, default 1 MiB).

## Why it matters
Nothing of such a file can be checked or built; it is reported rather than guessed at.

## Example
    A paper saved as Latin-1: `Weilnb\xf6ck`.

## Use instead
    Save the file as UTF-8.
"""

from ranpaper.diagnostics import Severity

CODE = "RP001"
NAME = "source-unreadable"
SEVERITY = Severity.error
# The engine reports this code when reading the file fails, before there is a model.
check = None
