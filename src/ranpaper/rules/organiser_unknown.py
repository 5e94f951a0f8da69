"""A meeting's head names an organiser that is not a known working group.

## What it finds
In a *Meetings and papers* line, an abbreviation written before the colon (`Y&E WG Meeting:`)
that is not one of the working groups ranpaper knows. The meeting is then read with no
organiser rather than a guessed one; the finding points at the abbreviation, suggests the
closest known group, and names the configuration key that adds a new one.

## Why it matters
Organisers are printed with each meeting and group the timeline. A misspelt group, or a
group the checker does not know, would silently leave the meeting without one.

## Example
    - DERADD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012

## Use instead
    - DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012

or, for a working group of your own, in `pyproject.toml`:

    [tool.ranpaper]
    extra-working-groups = ["Y&E"]
"""

from ranpaper.diagnostics import Severity
from ranpaper.model import ProblemKind
from ranpaper.rules._base import from_parser

CODE = "RP211"
NAME = "meeting-organiser-unknown"
SEVERITY = Severity.error
PROBLEM = ProblemKind.organiser_unknown
check = from_parser(PROBLEM)
