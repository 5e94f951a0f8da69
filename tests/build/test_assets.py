"""An image that cannot be rendered is a finding at its line, and the build refuses it rather
than print its alt text in its place (issue 21)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import run

RULES = Path(__file__).parent.parent / "rules"


@pytest.mark.parametrize("image", ["huge-20000px.png", "not-an-image.png"])
def test_an_image_that_cannot_be_rendered_is_reported_and_not_built(
    tmp_path: Path, image: str
) -> None:
    shutil.copy(RULES / image, tmp_path / image)
    text = (RULES / "minimal.md").read_text("utf-8")
    text = text.replace("# Introduction\n", f"# Introduction\n\n![The chart]({image})\n", 1)
    (tmp_path / "paper.md").write_text(text, "utf-8")
    checked = run("check", "--isolated", str(tmp_path / "paper.md"))
    assert checked.returncode == 1
    assert f'paper.md:12:2: error[RP314] image "{image}"' in checked.stdout
    out = tmp_path / "out"
    forced = run("build", "--isolated", str(tmp_path / "paper.md"), "--out", str(out), "--force")
    assert forced.returncode != 0
    assert "paper.md:12" in forced.stderr + forced.stdout
    assert not (out.exists() and list(out.glob("*.pdf")))  # nothing printed without it
