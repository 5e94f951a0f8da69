"""`ranpaper translate` on the bundled paper (issue 26): export its segments as PO, translate
them with a deterministic transformation, import, and find the translation at parity with
the original; break parity one way per rule and find each break at its line; a translation
that broke a placeholder is refused with its segment id."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polib
import pytest

from conftest import ROOT, run
from ranpaper.translation import broken, protect, restore
from ranpaper.workspace import Workspace

ORIGINAL = ROOT / "source" / "rehabilitation-overview.md"
TAG = re.compile(r"(</?[gx]\d+/?>)")


def _translate(text: str) -> str:
    """A deterministic "translation": every word outside the placeholders in capitals."""
    return "".join(part if TAG.fullmatch(part) else part.upper() for part in TAG.split(text))


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled paper exported, translated into German and imported (once: the tests
    below copy it before they change it)."""
    folder = tmp_path_factory.mktemp("translated")
    po_path = folder / "paper.de.po"
    exported = run("translate", "export", str(ORIGINAL), "--to", "de", "--output", str(po_path))
    assert exported.returncode == 0, exported.stderr
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = _translate(entry.msgid)
    po.save(str(po_path))
    imported = run("translate", "import", str(po_path), "--output", str(folder / "paper.de.md"))
    assert imported.returncode == 0, imported.stderr
    return folder / "paper.de.md"


def test_export_writes_one_entry_per_segment_with_id_line_and_placeholders(tmp_path: Path) -> None:
    po_path = tmp_path / "p.po"
    assert (
        run("translate", "export", str(ORIGINAL), "--to", "fr", "--output", str(po_path)).returncode
        == 0
    )
    po = polib.pofile(str(po_path))
    assert po.metadata["Language"] == "fr" and po.metadata["X-Ranpaper-Profile"] == "fr"
    ids = [entry.msgctxt for entry in po]
    assert len(ids) == len(set(ids)) > 200
    entries = {entry.msgctxt: entry for entry in po}
    assert entries["1/title"].msgid == "Guidelines for Rehabilitation work"
    assert entries["intro/1"].occurrences[0][1] == "37"
    # Inline markup is a placeholder; the source line is the context.
    assert entries["intro/2/1"].msgid == (
        "Dedicated exit programmes <g1>versus</g1> general services like probation or social work."
    )
    footnoted = [e for e in po if "[^" not in e.msgid and "<x" in e.msgid]
    assert footnoted and all("[^" not in e.msgid and "](" not in e.msgid for e in po)


def test_placeholders_protect_links_footnotes_urls_and_organisers() -> None:
    words = protect(
        "See [the *paper*](https://x.org/a_(b)) by EXIT[^2] at <https://y.org> and `code`.",
        frozenset({"EXIT"}),
    )
    assert words.text == "See <g1>the <g2>paper</g2></g1> by <x3/><x4/> at <x5/> and <x6/>."
    assert restore(words.text, words.tags) == (
        "See [the *paper*](https://x.org/a_(b)) by EXIT[^2] at <https://y.org> and `code`."
    )
    assert broken(words.text, "Voir <g1>le document</g1> de <x3/><x4/> à <x5/> et <x6/>.")
    assert broken(words.text, "<x3/><x4/><x5/><x6/> </g1><g1><g2></g2>") is not None
    assert broken(words.text, "<g1><g2>x</g2></g1><x3/><x4/><x5/><x6/>") is None


def test_the_round_trip_is_at_parity_with_the_original(translated: Path) -> None:
    text = translated.read_text("utf-8")
    assert "\n# Einleitung\n" in text and "#### Treffen und Veröffentlichungen" in text
    assert "Stockholm, 4.-5. Juni 2012" in text  # the date in German forms
    assert "period: 2012–heute" in text and "language: de" in text
    assert "translation-of: " in text and "profile: de" in text
    checked = run(
        "translate", "check", str(translated), "--original", str(ORIGINAL), "--format", "json"
    )
    codes = {d["code"] for d in json.loads(checked.stdout)["diagnostics"]}
    assert not codes & {"RP401", "RP402", "RP403"}
    assert not codes & {"RP101", "RP002", "RP003", "RP201", "RP203"} - _original_codes()
    # The front matter's `translation-of` does the same for a plain `check`.
    plain = run("check", str(translated), "--format", "json", cwd=ROOT)
    assert not {d["code"] for d in json.loads(plain.stdout)["diagnostics"]} & {"RP401", "RP402"}


def _original_codes() -> set[str]:
    found = run("check", str(ORIGINAL), "--format", "json")
    return {d["code"] for d in json.loads(found.stdout)["diagnostics"]}


def _parity(translated: Path, tmp_path: Path, old: str, new: str) -> list[tuple[str, int, str]]:
    """The parity findings after one edit of the translation (found once, replaced once)."""
    copy = tmp_path / "paper.de.md"
    text = translated.read_text("utf-8")
    assert text.count(old) >= 1, old
    copy.write_text(text.replace(old, new, 1), "utf-8")
    document = Workspace.load(tmp_path, isolated=True).open(copy, original=ORIGINAL)
    return [(d.code, d.line, d.message) for d in document.diagnostics if d.code.startswith("RP40")]


def _line_of(translated: Path, needle: str) -> int:
    lines = translated.read_text("utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "code", "at", "says"),
    [
        (
            "- DERAD WG Meeting: Kick-off meeting, Stockholm, 4.-5. Juni 2012\n",
            "",
            "RP402",
            "#### Treffen und",
            "drops 1 of the original's 6 meetings",
        ),
        (
            "Stockholm, 4.-5. Juni 2012",
            "Stockholm, 4.-5. Juli 2012",
            "RP402",
            "Stockholm",
            "is not the original's '04-05 June 2012'",
        ),
        (
            "- DERAD WG Meeting: Kick-off",
            "- EXIT WG Meeting: Kick-off",
            "RP402",
            "Kick-off meeting, Stockholm",
            "organisers EXIT are not the original's DERAD",
        ),
        (
            "[Part 1](#)",
            "[Part 1](https://example.org/part-1)",
            "RP402",
            "Webinar on Rehabilitation",
            "links #, https://example.org/part-1",
        ),
        (
            "DEDICATED EXIT PROGRAMMES *VERSUS* GENERAL SERVICES LIKE PROBATION OR SOCIAL WORK.",
            "Dedicated exit programmes *versus* general services like probation or social work.",
            "RP403",
            "Dedicated exit programmes",
            "segment intro/2/1 is the original's text",
        ),
        (
            "DURING THE PERIOD 2012-2015, RAN DERAD",
            "DURING THE PERIOD 2012-2016, RAN DERAD",
            "RP403",
            "DURING THE PERIOD 2012-2016",
            "numbers are not the original's: lacks 2015; adds 2016",
        ),
        (
            "**CAPREV (BELGIUM)**",
            "CAPREV (BELGIUM)",
            "RP401",
            "Praktiken",
            "practices, the original",
        ),
    ],
    ids=["dropped-meeting", "date", "organiser", "link", "untranslated", "number", "practice"],
)
def test_each_break_of_parity_is_found_at_its_line(
    translated: Path, tmp_path: Path, old: str, new: str, code: str, at: str, says: str
) -> None:
    found = _parity(translated, tmp_path, old, new)
    assert [finding[0] for finding in found] == [code], found
    _code, line, message = found[0]
    assert says in message
    edited = tmp_path / "paper.de.md"
    lines = edited.read_text("utf-8").split("\n")
    if code == "RP401":  # the practices section of the topic the practice was in
        capr = _line_of(translated, "CAPREV (BELGIUM)")
        assert line < capr and lines[line - 1].lstrip("#").strip() == at
    elif at.startswith("####"):
        assert lines[line - 1].startswith(at)
    else:
        assert at in lines[line - 1]


def test_a_dropped_topic_is_a_structure_finding(translated: Path, tmp_path: Path) -> None:
    text = translated.read_text("utf-8")
    start = text.index("\n## ", text.index("# Hauptthema 5"))
    end = text.index("\n## ", start + 1)
    (tmp_path / "paper.de.md").write_text(text[:start] + text[end:], "utf-8")
    document = Workspace.load(tmp_path, isolated=True).open(
        tmp_path / "paper.de.md", original=ORIGINAL
    )
    messages = [d.message for d in document.diagnostics if d.code == "RP401"]
    assert any("the original's topic 5.3" in message for message in messages), messages


def test_a_broken_placeholder_is_refused_with_its_segment_id(tmp_path: Path) -> None:
    po_path = tmp_path / "paper.de.po"
    assert (
        run("translate", "export", str(ORIGINAL), "--to", "de", "--output", str(po_path)).returncode
        == 0
    )
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = _translate(entry.msgid)
    entry = next(e for e in po if e.msgctxt == "intro/2/1")
    entry.msgstr = entry.msgstr.replace("</g1>", "")
    po.save(str(po_path))
    result = run("translate", "import", str(po_path), "--output", str(tmp_path / "out.md"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "intro/2/1: placeholders broken (lost </g1>)" in result.stderr
    assert not (tmp_path / "out.md").exists()


def test_bad_input_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.po").write_text('msgid "a"\nmsgstr "b" "c\n', "utf-8")
    result = run("translate", "import", str(tmp_path / "bad.po"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    no_profile = run(
        "translate", "export", str(ORIGINAL), "--to", "xx", "--output", str(tmp_path / "x.po")
    )
    assert no_profile.returncode == 2 and "no shipped profile for language 'xx'" in (
        no_profile.stderr
    )
    shutil.copy(ORIGINAL, tmp_path / "copy.md")
    missing = run(
        "translate", "check", str(tmp_path / "copy.md"), "--original", str(tmp_path / "nonesuch.md")
    )
    assert missing.returncode == 1 and "RP401" in missing.stdout


def test_a_front_matter_cannot_make_check_read_an_original_outside(
    translated: Path, tmp_path: Path
) -> None:
    """`translation-of` is read only inside the folder ranpaper runs in (as a front matter's
    profile): here the original lies outside `tmp_path`."""
    copy = tmp_path / "paper.de.md"
    shutil.copy(translated, copy)
    text = copy.read_text("utf-8")
    copy.write_text(
        re.sub(r"translation-of: .*", f"translation-of: {ORIGINAL}", text, count=1), "utf-8"
    )
    result = run("check", "paper.de.md", "--isolated", "--format", "json", cwd=tmp_path)
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "RP401"]
    assert len(found) == 1 and "is outside the folder ranpaper runs in" in found[0]["message"]


def test_check_original_is_the_same_door_as_translate_check(
    translated: Path, tmp_path: Path
) -> None:
    """`ranpaper check TRANSLATED --original PAPER` reports what `translate check` does."""
    text = translated.read_text("utf-8")
    changed = tmp_path / translated.name
    changed.write_text(text.replace("4.-5. Juni 2012", "4.-5. Juni 2013", 1), "utf-8")
    by_check = run("check", str(changed), "--original", str(ORIGINAL), "--format", "json")
    by_translate = run(
        "translate", "check", str(changed), "--original", str(ORIGINAL), "--format", "json"
    )
    found = json.loads(by_check.stdout)["diagnostics"]
    assert found == json.loads(by_translate.stdout)["diagnostics"]
    assert any(d["code"] == "RP402" and "2013" in d["message"] for d in found), found
