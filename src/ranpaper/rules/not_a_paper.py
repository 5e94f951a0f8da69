"""A Markdown file in a checked folder that is not a paper, so it was not checked.

## What it finds
A `.md` or `.markdown` file found while checking a folder whose first line is not the front
matter's `---`, or whose front matter has no `title:` key: a README, notes, a generated
brief. What makes a file a paper is written in docs/authoring.md. A file named on the
command line is always checked as a paper. Folders listed in `exclude` (and `build`,
`.git`, `.venv`, …) are not entered at all, so their files are not reported.

## Why it matters
A paper whose front matter was deleted by mistake would otherwise vanish from the check
without a word; this note says which files were passed over.

## Example
    # Notes for editors

## Use instead
    ---
    title: RAN activities on Rehabilitation
    date: 2021-11-24
    ---
"""

from ranpaper.diagnostics import Severity

CODE = "RP006"
NAME = "not-a-paper"
SEVERITY = Severity.info
# The engine reports this code for files a folder scan passed over; there is no model.
check = None
