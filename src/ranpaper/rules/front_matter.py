"""Front matter that cannot be read.

## What it finds
A paper without front matter, front matter that is never closed with `---`, YAML that does
not parse (aliases are refused), a value of the wrong shape, or a key ranpaper does not know.

## Why it matters
The front matter gives the paper its title, working group and publication date: the cover,
the PDF metadata and the date checks all depend on it.

## Example
    ---
    title: RAN activities on Rehabilitation
    date 2021-11-24

## Use instead
    ---
    title: RAN activities on Rehabilitation
    date: 2021-11-24
    ---
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP002"
NAME = "front-matter-invalid"
SEVERITY = Severity.error
PROBLEM = ProblemKind.front_matter
check = from_parser(PROBLEM)
