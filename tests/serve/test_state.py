"""What `serve` does when files change, without a server: the last good page, the findings
of the file as it is now, and a version that changes only when what is shown changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from ranpaper.serve.page import served_page
from ranpaper.serve.state import Live

MINIMAL = ROOT / "tests" / "rules" / "minimal.md"
PIXEL = ROOT / "tests" / "rules" / "pixel.png"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(MINIMAL, tmp_path / "paper.md")
    return tmp_path


def _live(folder: Path) -> Live:
    live = Live([folder])
    live.refresh_all()
    return live


def test_a_clean_paper_is_served_as_build_renders_it(folder: Path) -> None:
    from ranpaper.render.html import render_paper
    from ranpaper.serve.state import timeline_for

    live = _live(folder)
    view = live.views["paper"]
    assert view.version == 1 and not view.broken and view.good is not None
    assert view.html == render_paper(view.good, "screen", timeline_for(view.good))
    assert "<script" not in view.html  # the built page stays script-free


def test_saving_the_same_text_changes_nothing(folder: Path) -> None:
    live = _live(folder)
    paper = folder / "paper.md"
    paper.write_text(paper.read_text("utf-8"), "utf-8")
    [refresh] = live.changed({paper})
    assert not refresh.changed and live.views["paper"].version == 1


def test_a_broken_save_keeps_the_last_good_page_and_a_fix_clears_the_errors(folder: Path) -> None:
    live = _live(folder)
    view = live.views["paper"]
    paper = folder / "paper.md"
    good_text = paper.read_text("utf-8")
    good_page = view.html
    paper.write_text(good_text.replace("### Practices", "### Practises\n\n[a](javascript:x)"))
    [refresh] = live.changed({paper})
    assert refresh.changed and view.version == 2 and view.broken
    assert view.html == good_page  # the last good page, under the errors
    assert {d.code for d in view.errors} == {"RP203", "RP308"}
    assert {d.code for d in refresh.new} >= {"RP203", "RP308"}
    page = served_page(view)
    assert page.count('class="rp-finding rp-error"') == 2
    assert "line 23" in page  # the misspelt heading's line, as the overlay shows it

    paper.write_text(good_text.replace("Start early.", "Start earlier."))
    [refresh] = live.changed({paper})
    assert refresh.changed and view.version == 3 and not view.broken
    assert "Start earlier." in (view.html or "")
    assert 'class="rp-errors"' not in served_page(view)


def test_a_paper_broken_from_the_start_has_no_page_but_its_errors(folder: Path) -> None:
    (folder / "paper.md").write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    view = _live(folder).views["paper"]
    assert view.html is None and view.broken
    page = served_page(view)
    assert "no version of it without errors" in page and "RP002" in page


def test_a_deleted_paper_is_an_error_and_its_return_clears_it(folder: Path) -> None:
    live = _live(folder)
    paper = folder / "paper.md"
    text = paper.read_text("utf-8")
    paper.unlink()
    [refresh] = live.changed({paper})
    assert [d.code for d in live.views["paper"].errors] == ["RP001"]
    assert "no such file" in refresh.view.errors[0].message
    paper.write_text(text, "utf-8")
    [refresh] = live.changed({paper})
    assert not refresh.view.broken


def test_only_the_papers_that_use_a_changed_image_are_checked_again(folder: Path) -> None:
    paper = folder / "paper.md"
    paper.write_text(
        paper.read_text("utf-8").replace("How to evaluate.", "How to evaluate. ![chart](chart.png)")
    )
    shutil.copy(MINIMAL, folder / "other.md")
    live = _live(folder)
    assert [d.code for d in live.views["paper"].errors] == ["RP309"]  # no chart.png yet
    shutil.copy(PIXEL, folder / "chart.png")
    done = live.changed({folder / "chart.png"})
    assert [refresh.view.name for refresh in done] == ["paper"]
    assert not live.views["paper"].broken


def test_a_new_paper_in_a_served_folder_is_served(folder: Path) -> None:
    live = _live(folder)
    shutil.copy(MINIMAL, folder / "second.md")
    done = live.changed({folder / "second.md"})
    assert [refresh.view.name for refresh in done] == ["second"]
    assert live.views["second"].html is not None


def test_a_configuration_change_checks_every_paper_again(folder: Path) -> None:
    paper = folder / "paper.md"
    paper.write_text(paper.read_text("utf-8").replace("https://example.org/manual", "#"))
    config = folder / "ranpaper.toml"
    config.write_text("", "utf-8")
    live = _live(folder)
    assert [d.code for d in live.views["paper"].diagnostics] == ["RP301"]
    config.write_text('[severity]\nRP301 = "error"\n', "utf-8")
    [refresh] = live.changed({config})
    assert refresh.changed and [d.code for d in refresh.view.errors] == ["RP301"]


def test_a_template_or_stylesheet_change_renders_every_paper_again(folder: Path) -> None:
    from ranpaper.resources import TEMPLATES

    shutil.copy(MINIMAL, folder / "other.md")
    live = _live(folder)
    done = live.changed({TEMPLATES / "screen.css"})
    assert sorted(refresh.view.name for refresh in done) == ["other", "paper"]
    unrelated = folder / "notes.txt"
    unrelated.write_text("not a paper", "utf-8")
    assert live.changed({unrelated}) == []
