"""`ranpaper links`: what is still lost (`--lost`), the registry's URLs written into the
source (`--apply`), and the external URLs asked whether they still answer
(`--check-external`). Papers are found, read and parsed through the workspace."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ranpaper.commands import EXIT_FINDINGS, EXIT_OK, require, workspace_for
from ranpaper.errors import RanpaperError
from ranpaper.fs import write_atomic
from ranpaper.links.registry import registry_beside
from ranpaper.printing import shown

if TYPE_CHECKING:
    from ranpaper.links.registry import Registry
    from ranpaper.model import Paper
    from ranpaper.workspace import Workspace


def _links_papers(
    args: argparse.Namespace, workspace: Workspace
) -> list[tuple[Path, str, Paper, Registry | None]]:
    """(path, source, paper, registry) for every paper named, read through the workspace."""
    found: list[tuple[Path, str, Paper, Registry | None]] = []
    for path in workspace.papers(args.paths).papers:
        source = workspace.read(path)
        found.append((path, source, workspace.parse(source, path), registry_beside(path)))
    return found


def run(args: argparse.Namespace) -> int:
    workspace = workspace_for(args)
    if args.apply:
        return _links_apply(args, workspace)
    if args.check_external:
        require("links", "links --check-external")
        return _links_external(args, workspace)
    if args.format == "text":
        raise RanpaperError("--format text is for --check-external; --lost writes table, csv, json")
    return _links_lost(args, workspace)


def _links_lost(args: argparse.Namespace, workspace: Workspace) -> int:
    from ranpaper.links.lost import FORMATS, still_lost

    documents = []
    links = recovered = 0
    for _path, _source, paper, registry in _links_papers(args, workspace):
        lost, count = still_lost(paper, registry)
        documents.extend(lost)
        links += sum(len(document.citations) for document in lost)
        recovered += count
    sys.stdout.write(FORMATS[args.format or "table"](documents))
    if (args.format or "table") == "table":
        by_registry = f" ({recovered} recovered by links.toml)" if recovered else ""
        print(f"\n{links} link(s) still lost, {len(documents)} document(s){by_registry}")
    return EXIT_OK


def _links_apply(args: argparse.Namespace, workspace: Workspace) -> int:
    from ranpaper.lines import apply_edits
    from ranpaper.links.apply import edits
    from ranpaper.links.recover import recover
    from ranpaper.model import content

    code = EXIT_OK
    for path, source, paper, registry in _links_papers(args, workspace):
        if registry is None:
            print(f"{shown(path)}: no links.toml beside it; nothing to write")
            continue
        changes, skipped = edits(paper, registry, source)
        for item in skipped:
            span = item.citation.span
            print(
                f'{shown(path)}:{span.line}:{span.column}: cannot write "{item.citation.text}": '
                f"{item.reason}",
                file=sys.stderr,
            )
            code = EXIT_FINDINGS
        if not changes:
            print(f"{shown(path)}: no lost link that links.toml recovers")
            continue
        text, applied = apply_edits(source, [changes])
        if not applied:
            raise RanpaperError("the URLs' edits overlap; nothing was written", str(path))
        again = workspace.parse(text, path)
        if content(again) != content(recover(paper, registry)):
            raise RanpaperError(
                "writing the URLs would change more than the links; nothing was written",
                str(path),
            )
        write_atomic(path, text)
        print(
            f"{path}: wrote {len(changes)} URL(s) from {shown(registry.path)}; "
            "their entries now match no lost link (RP312): remove them"
        )
    return code


def _links_external(args: argparse.Namespace, workspace: Workspace) -> int:
    import json

    from ranpaper.links import external

    if args.format in ("table", "csv"):
        raise RanpaperError("--check-external writes text or json")
    if args.per_host < 1:
        raise RanpaperError("--per-host must be at least 1")
    where: dict[str, list[external.Place]] = {}
    for _path, source, paper, registry in _links_papers(args, workspace):
        for url, found in external.places(paper, source, registry).items():
            where.setdefault(url, []).extend(found)
    settings = external.Settings(
        per_host=args.per_host,
        timeout=args.timeout,
        offline=args.offline,
        ttl=external.DEFAULT_TTL if args.ttl is None else args.ttl,
    )
    cache_path = args.cache or external.DEFAULT_CACHE
    cache = external.read_cache(cache_path)
    results = external.check_urls(list(where), settings, cache)
    if not args.offline:
        external.write_cache(cache_path, {**cache, **results})
    if args.format == "json":
        report = [
            {
                **results[url].to_dict(),
                "places": [
                    {
                        "path": p.path,
                        "line": p.line,
                        "column": p.column,
                        "fix": _fix_data(external.fix_for(results[url], p)),
                    }
                    for p in places
                ],
            }
            for url, places in where.items()
        ]
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print_external(where, results)
    return EXIT_FINDINGS if any(r.status.fails for r in results.values()) else EXIT_OK


def _fix_data(fix: object) -> object:
    import dataclasses

    return None if fix is None else dataclasses.asdict(fix)  # type: ignore[call-overload]


def _print_external(where: dict, results: dict) -> None:
    from collections import Counter

    from ranpaper.links.external import Status, fix_for

    for url, places in where.items():
        result = results[url]
        if result.status is Status.ok:
            continue
        for place in places:
            print(
                f"{shown(place.path)}:{place.line}:{place.column}: {result.status.value}: {url}: "
                f"{result.detail}"
            )
            fix = fix_for(result, place)
            if fix is not None:
                print(f"    = fix ({fix.applicability.value}): {fix.message}")
    counts = Counter(r.status.value for r in results.values())
    cached = sum(r.from_cache for r in results.values())
    parts = ", ".join(f"{counts[s.value]} {s.value}" for s in Status if counts[s.value])
    print(f"{len(results)} URL(s) ({cached} answered from the cache): {parts or 'none'}")
