"""`ranpaper translate`: a paper's text out to translators as a gettext PO file, and back in
as the translated paper; and a translation checked against its original (docs/translation.md).

    ranpaper translate export PAPER --to LANG [--profile P] [--output FILE.po]
    ranpaper translate import FILE.po [--output PAPER.md]
    ranpaper translate check TRANSLATED --original PAPER

The work is in `ranpaper.translation` (PO entries, placeholders, writing back) and the parity
rules RP401–RP403; this module reads and writes through the workspace and `ranpaper.fs`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ranpaper.check import failing
from ranpaper.commands import EXIT_FINDINGS, EXIT_OK, say, workspace_for
from ranpaper.diagnostics import summarise
from ranpaper.errors import RanpaperError
from ranpaper.fs import refuse_unwritable, write_atomic
from ranpaper.printing import shown
from ranpaper.profiles import Profile, ProfileError, for_language, load_profile, shipped
from ranpaper.workspace import Document, Workspace


def run(args: argparse.Namespace) -> int:
    if args.action == "export":
        return _export(args)
    if args.action == "import":
        return _import(args)
    return _check(args)


def _target(language: str, named: str | None, base: Path) -> tuple[Profile, str]:
    """The target profile and how the translated paper's front matter names it."""
    if named is not None:
        try:
            return load_profile(named, base), named
        except ProfileError as error:
            raise RanpaperError(f"--profile: {error.message}", error.path, error.line) from None
    profile = for_language(language)
    if profile is None:
        raise RanpaperError(
            f"no shipped profile for language {language!r} ({', '.join(shipped())}); "
            "name one with --profile NAME or --profile FILE.toml"
        )
    return profile, profile.name


def _open(workspace: Workspace, path: Path) -> Document:
    document = workspace.open(path)
    if document.paper is None:
        raise RanpaperError(document.diagnostics[0].message, str(path))
    return document


def _export(args: argparse.Namespace) -> int:
    from ranpaper.translation import export

    paper_path = Path(args.paper)
    output = args.output or paper_path.with_name(f"{paper_path.stem}.{args.to}.po")
    refuse_unwritable(output)
    workspace = workspace_for(args, paper_path)
    document = _open(workspace, paper_path)
    profile_value = args.profile
    if profile_value is not None and profile_value.endswith(".toml"):
        # Named as the user wrote it, relative to here; the PO file keeps it absolute.
        profile_value = str(Path(profile_value).resolve())
    _profile, named = _target(args.to, profile_value, Path.cwd())
    assert document.paper is not None
    po = export(document.paper, document.text, paper_path, output, args.to, named)
    write_atomic(output, str(po))
    say(f"wrote {shown(output)}: {len(po)} segments to translate into {args.to}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from ranpaper.translation import ORIGINAL, PROFILE, TranslationError, import_po, read_po

    po_path = Path(args.file)
    workspace = workspace_for(args, po_path.parent)
    po = read_po(workspace.read(po_path), str(po_path))
    named, profile_value = po.metadata.get(ORIGINAL), po.metadata.get(PROFILE)
    language = po.metadata.get("Language", "")
    if not named or not profile_value or not language:
        raise TranslationError(
            f"the header lacks {ORIGINAL}, {PROFILE} or Language: not a file "
            "`ranpaper translate export` wrote",
            str(po_path),
        )
    original = (po_path.parent / named).resolve()
    output = args.output or po_path.with_name(f"{original.stem}.{language}.md")
    refuse_unwritable(output)
    target, _named = _target(language, profile_value, po_path.parent)
    if profile_value.endswith(".toml"):
        profile_value = _relative(Path(profile_value), output)
    document = _open(workspace, original)
    assert document.paper is not None
    imported = import_po(
        po, str(po_path), document.paper, document.text, target, output, original, profile_value
    )
    write_atomic(output, imported.text)
    left = len(imported.untranslated)
    say(
        f"wrote {shown(output)}: {imported.translated} segments translated"
        + (f", {left} left in the original's words (RP403 reports them)" if left else "")
    )
    return EXIT_OK


def _relative(path: Path, output: Path) -> str:
    import os

    return os.path.relpath(path.resolve(), output.resolve().parent)


def _check(args: argparse.Namespace) -> int:
    from ranpaper.report import write

    translated = Path(args.translated)
    workspace = workspace_for(args, translated)
    document = workspace.open(translated, original=Path(args.original))
    diagnostics = document.diagnostics
    summary = summarise(diagnostics, 1, args.strict)
    write(args.format, diagnostics, summary, False)
    return EXIT_FINDINGS if failing(diagnostics, args.strict) else EXIT_OK
