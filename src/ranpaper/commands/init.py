"""`ranpaper init [FOLDER]`: start a new paper, as `mkdocs new` or `quarto create` start a
project: a minimal valid paper (`source/paper.md`), its configuration (`ranpaper.toml`) and
a profile stub (`profile.toml`) for the working group's own words. `ranpaper check` passes it
and `ranpaper build` builds it, run in FOLDER. Nothing is ever replaced: if one of the files
exists, nothing is written (exit 2)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ranpaper.commands import EXIT_OK
from ranpaper.errors import RanpaperError
from ranpaper.fs import write_atomic
from ranpaper.printing import shown

PAPER = """\
---
title: RAN activities on a new subject
date: {date}
leaders:
  current:
    - name: A. Leader
      period: {year}–present
---

# Introduction

What the paper is for, and whom it is for.[^1]

# Main theme 1: The first theme

## The first topic

### Meetings and papers

- EXIT WG Meeting: [Kick-off](https://example.org/kick-off), Berlin, 3-4 May {year}

### Practices

**Exit Sweden (Sweden)**: Support for people leaving extremism.

### Lessons learned and recommendations

- Start early.

### What needs to be further explored?

How to evaluate.

[^1]: A source.
"""

CONFIGURATION = """\
# ranpaper's configuration: every key is in docs/configuration.md.
profile = "profile.toml"            # the paper's words (headings, sections, months)
# select = ["RP"]                   # rules to run: codes, prefixes or names
# ignore = ["RP307"]                # rules to skip
# extra-working-groups = ["NEWWG"]  # abbreviations read as a meeting's organiser
# exclude = ["drafts"]              # what a folder scan passes over

# [severity]
# RP301 = "error"                   # make lost links fail the check
"""

PROFILE = """\
# The words of this paper (docs/profiles.md): every key is optional, and what is not written
# here comes from the profile it extends.
name = "my-group"
extends = "default"
language = "en"

# [headings]
# introduction = "Background"
# theme = "Focus area {number}"
"""


def files(today: dt.date) -> dict[str, str]:
    """What `init` writes, by path relative to the folder."""
    return {
        "source/paper.md": PAPER.format(date=today.isoformat(), year=today.year),
        "ranpaper.toml": CONFIGURATION,
        "profile.toml": PROFILE,
    }


def run(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise RanpaperError("is not a folder", str(folder))
    planned = {folder / name: text for name, text in files(dt.date.today()).items()}
    existing = [path for path in planned if path.exists() or path.is_symlink()]
    if existing:
        raise RanpaperError(
            f"already exists; nothing was written ({len(existing)} of the files init writes "
            "are there: start in an empty folder)",
            str(existing[0]),
        )
    for path, text in planned.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        print(f"created {shown(path)}")
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {shown(folder)} && "
    print(f"next: {where}ranpaper check && ranpaper build")
    return EXIT_OK
