"""`ranpaper schema`: print the JSON Schema of the JSON output, write it (`--write`) or verify
the committed one (`--check`), through the one reader and writer."""

from __future__ import annotations

import argparse
import sys

from ranpaper.commands import EXIT_FINDINGS, EXIT_OK, say
from ranpaper.errors import RanpaperError
from ranpaper.fs import read_text, write_atomic
from ranpaper.printing import shown


def run(args: argparse.Namespace) -> int:
    from ranpaper.schema import schema_text

    current = schema_text()
    if args.write:
        args.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(args.path, current)
        print(f"wrote {shown(args.path)}")
        return EXIT_OK
    if args.check:
        try:
            committed = read_text(args.path, what="schema")
        except RanpaperError as error:
            raise RanpaperError(
                f"cannot read the schema: {error.message}", str(args.path)
            ) from None
        if committed != current:
            say(
                f"{shown(args.path)} is stale: the model changed. Run `ranpaper schema --write` "
                "and commit the result."
            )
            return EXIT_FINDINGS
        print(f"{shown(args.path)} is up to date")
        return EXIT_OK
    sys.stdout.write(current)
    return EXIT_OK
