"""One configuration: the same keys in `ranpaper.toml` and `[tool.ranpaper]`, found by parsing
TOML, chosen with `--config` or ignored with `--isolated`, applied by the library as by the
CLI, and not relaxed by the files a pull request brings."""

from __future__ import annotations

from pathlib import Path

import pytest

import ranpaper
from conftest import ROOT, run
from ranpaper.config import Config, load_config
from ranpaper.errors import RanpaperError
from ranpaper.workspace import Workspace

MINIMAL = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")
# A meeting whose organiser is only known through the configuration.
NEWWG = MINIMAL.replace("- EXIT WG Meeting:", "- NEWWG WG Meeting:")


def organisers(paper: ranpaper.Paper) -> list[list[str]]:
    return [meeting.organisers for _topic, meeting in paper.meetings()]


README_SNIPPET = '[tool.ranpaper]\nextra-working-groups = ["NEWWG"]\n'
TOP_LEVEL = 'extra-working-groups = ["NEWWG"]\n'


@pytest.mark.parametrize("content", [README_SNIPPET, TOP_LEVEL], ids=["table", "top-level"])
def test_ranpaper_toml_takes_both_forms(tmp_path: Path, content: str) -> None:
    (tmp_path / "ranpaper.toml").write_text(content, "utf-8")
    (tmp_path / "p.md").write_text(NEWWG, "utf-8")
    assert "NEWWG" in load_config(tmp_path / "p.md").extra_working_groups
    assert organisers(ranpaper.load(tmp_path / "p.md"))[0] == ["NEWWG"]


def test_a_ranpaper_toml_mixing_both_forms_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text('ignore = ["RP301"]\n' + README_SNIPPET, "utf-8")
    with pytest.raises(RanpaperError, match="either top-level keys or one"):
        load_config(tmp_path)


def test_library_and_cli_read_the_same_organisers(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text(TOP_LEVEL, "utf-8")
    (tmp_path / "p.md").write_text(NEWWG, "utf-8")
    assert organisers(ranpaper.load(tmp_path / "p.md"))[0] == ["NEWWG"]
    assert organisers(ranpaper.load_all([tmp_path])[0])[0] == ["NEWWG"]
    isolated = ranpaper.load(tmp_path / "p.md", config=Config())
    assert organisers(isolated)[0] != ["NEWWG"]


def test_a_comment_naming_the_table_does_not_hide_a_config_further_up(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text(TOP_LEVEL, "utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text(
        '[project]\nname = "x"\n# settings would go in [tool.ranpaper]\n', "utf-8"
    )
    assert load_config(inner).source == str(tmp_path / "ranpaper.toml")


def test_config_option_and_isolated(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text('ignore = ["RP301"]\n', "utf-8")
    pinned = tmp_path / "ci.toml"
    pinned.write_text('select = ["RP301"]\n', "utf-8")
    (tmp_path / "p.md").write_text(MINIMAL.replace("(https://example.org/manual)", "(#)"), "utf-8")
    found = run("check", "p.md", "--select", "RP3", cwd=tmp_path)
    assert found.returncode == 0 and "RP301" not in found.stdout
    for args in (["--config", str(pinned)], ["--isolated"]):
        result = run("check", "p.md", *args, cwd=tmp_path)
        assert "warning[RP301]" in result.stdout, args
    missing = run("check", "p.md", "--config", "nowhere.toml", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == "ranpaper: error: nowhere.toml: no such configuration file\n"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    empty = run("check", "p.md", "--config", "pyproject.toml", cwd=tmp_path)
    assert empty.returncode == 2
    assert empty.stderr == "ranpaper: error: pyproject.toml: has no [tool.ranpaper] table to read\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ignore", "RP9999"], "--ignore: no rule or prefix 'RP9999'"),
        (["--select", "RP2O3"], "--select: no rule or prefix 'RP2O3'; did you mean RP203?"),
        (["--select", "XY"], "--select: no rule or prefix 'XY' (`ranpaper rules` lists them)"),
    ],
)
def test_unknown_codes_on_the_command_line_are_errors(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "p.md").write_text(MINIMAL, "utf-8")
    result = run("check", "p.md", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"ranpaper: error: {message}")
    assert "<input>" not in result.stderr


def test_unknown_codes_in_the_config_are_errors_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text('[severity]\nRP302O = "warning"\n', "utf-8")
    with pytest.raises(RanpaperError) as raised:
        Workspace.load(tmp_path)
    assert str(raised.value) == (
        f"{tmp_path / 'ranpaper.toml'}: severity: no rule or prefix 'RP302O'; did you mean "
        "RP302? (`ranpaper rules` lists them)"
    )


@pytest.mark.parametrize(
    ("content", "relaxed"),
    [
        ("max-bytes = 999999999\n", "raises max-bytes above 1048576"),
        ('ignore = ["RP"]\n', "turns off RP308"),
        ('ignore = ["RP31"]\n', "turns off RP310"),
        ('select = ["RP1"]\nignore = ["RP309"]\n', "turns off RP309"),
        ('[severity]\nRP309 = "info"\n', "lowers RP309 to info"),
        ("render-seconds = 0\n", "switches off render-seconds"),
        ("max-pages = 9999\n", "raises max-pages above 400"),
    ],
)
def test_a_folders_own_config_may_not_relax_the_limits(
    tmp_path: Path, content: str, relaxed: str
) -> None:
    (tmp_path / "ranpaper.toml").write_text(content, "utf-8")
    (tmp_path / "p.md").write_text(MINIMAL, "utf-8")
    refused = run("check", "p.md", cwd=tmp_path)
    assert refused.returncode == 2
    assert relaxed in refused.stderr and "--trust-config" in refused.stderr
    with pytest.raises(RanpaperError, match=relaxed):
        ranpaper.load(tmp_path / "p.md")
    assert run("check", "p.md", "--trust-config", cwd=tmp_path).returncode == 0
    assert run("check", "p.md", "--config", "ranpaper.toml", cwd=tmp_path).returncode == 0


def test_a_folders_own_config_may_tighten_and_relax_other_rules(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text(
        'ignore = ["RP301"]\nmax-bytes = 100000\n[severity]\nRP201 = "error"\n', "utf-8"
    )
    assert load_config(tmp_path).max_bytes == 100000
