"""`ranpaper rules [CODE]`: list the rules, or explain one (its docstring is its documentation)."""

from __future__ import annotations

import argparse
import textwrap

from ranpaper.commands import EXIT_OK
from ranpaper.rules import REGISTRY, by_name, fix_kind, resolve_codes, summary_line


def run(args: argparse.Namespace) -> int:
    if args.code is None:
        for code, listed in sorted(REGISTRY.items()):
            fix = fix_kind(listed) or ""
            print(
                f"{code}  {listed.SEVERITY.value:<7}  {listed.NAME:<26}  {fix:<6}  "
                f"{summary_line(listed)}"
            )
        return EXIT_OK
    rule = by_name(args.code)
    if rule is None:
        resolve_codes([args.code.strip()], "rules")  # raises, with a did-you-mean
        prefix = args.code.strip().upper()
        for code, listed in sorted(REGISTRY.items()):  # a prefix: the rules it selects
            if code.startswith(prefix):
                print(
                    f"{code}  {listed.SEVERITY.value:<7}  {listed.NAME:<26}  {summary_line(listed)}"
                )
        return EXIT_OK
    fix = fix_kind(rule) or "none"
    print(f"{rule.CODE} {rule.NAME} (default severity: {rule.SEVERITY.value}; fix: {fix})\n")
    print(textwrap.dedent(rule.__doc__ or "").strip())
    return EXIT_OK
