"""Hostile and broken input: a clear diagnostic and the right exit code, never a traceback,
never a hang, nothing read from outside the paper's folder, nothing lost."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ranpaper
from conftest import PAPER_PATH
from papers import paper_source
from ranpaper.cli import main
from ranpaper.errors import RanpaperError
from ranpaper.model import Paper, Span

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = yaml.safe_load((CORPUS / "expected.yml").read_text("utf-8"))
MINIMAL = (Path(__file__).parent / "rules" / "minimal.md").read_text("utf-8")


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.glob("*.md"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_input_gets_its_diagnostic(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["check", str(CORPUS / name), "--format", "json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    report = json.loads(captured.out)
    found = [(d["code"], d["line"], d["message"]) for d in report["diagnostics"]]
    for code, line, words in EXPECTED[name]["findings"]:
        assert any(c == code and ln == line and words in m for c, ln, m in found), (code, found)
    assert status == EXPECTED[name]["exit"]


def test_crlf_and_bom_read_like_lf() -> None:
    crlf = ranpaper.load(CORPUS / "bom-crlf.md")
    assert crlf == ranpaper.parse(MINIMAL, path=str(CORPUS / "bom-crlf.md"))


def test_yaml_values_stay_strings() -> None:
    assert ranpaper.load(CORPUS / "yaml-norway.md").metadata.title == "no"


def test_file_over_the_size_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text(MINIMAL + "x" * (5 * 1024 * 1024), "utf-8")
    with pytest.raises(RanpaperError, match="over the 1 MiB cap"):
        ranpaper.load(big)


PATHOLOGICAL = {
    "deep-lists": "".join("  " * i + "- x\n" for i in range(2000)),
    "deep-quotes": "> " * 5000 + "x\n",
    "brackets": "[" * 50000 + "\n",
    "emphasis": "*a " * 30000 + "\n",
    "backticks": "`a``b```c" * 10000 + "\n",
    "unclosed-links": "[a](" * 30000 + "\n",
    "reference-definitions": "".join(f"[r{i}]: https://example.org/{i}\n" for i in range(10000)),
    "footnote-definitions": "".join(f"[^f{i}]: note {i}\n\n" for i in range(5000)),
    "one-enormous-line": "- " + "word " * 200000 + "\n",
    "many-links": "- " + "[a](https://example.org/a), " * 5000 + "2020\n",
    # The shapes that were quadratic (issue 17; bench/pathological.py measures them).
    "brackets-before-a-link": "- " + "](" * 40000 + " [a](https://example.org/), 2020\n",
    "escaped-footnote-refs": "- " + "&#91;^zz] " * 8000 + ", 2020\n",
    "place-on-a-long-word": "- EXIT: Title, A" + "andA" * 20000 + "!, 3 May 2020\n",
    "percent-autolinks": "- " + "<https://example.org/%41%42> " * 3000 + ", 2020\n",
    "link-groups": "- Title " + "([a](#), [b](#)) " * 3000 + ", 2020\n",
    "escapes": "- " + "\\*&amp;" * 50000 + ", 2020\n",
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_markdown_finishes_with_a_result(name: str, tmp_path: Path) -> None:
    """A hang detector, not a speed measurement (that is bench/): generous time limit."""
    paper = tmp_path / f"{name}.md"
    paper.write_text(
        "---\ntitle: T\ndate: 2021-11-24\n---\n# Main theme 1: T\n\n## Topic\n\n"
        "### Meetings and papers\n\n" + PATHOLOGICAL[name],
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "ranpaper", "check", str(paper), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_internal_errors_are_one_line_unless_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import ranpaper.workspace

    def broken(*args: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(ranpaper.workspace, "check_paper", broken)
    assert main(["check", str(PAPER_PATH)]) == 2
    err = capsys.readouterr().err
    assert "bug in ranpaper" in err and "--debug" in err and "Traceback" not in err
    assert main(["--debug", "check", str(PAPER_PATH)]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_pdf_fetcher_refuses_everything_outside_the_folder(tmp_path: Path) -> None:
    from ranpaper.render.pdf import RefusedFetch, write_pdf

    (tmp_path / "inside.png").write_bytes(
        (Path(__file__).parent / "rules" / "pixel.png").read_bytes()
    )
    for src in (
        "file:///etc/hostname",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        (tmp_path.parent / "x.png").as_uri(),
    ):
        html = f'<html><body><img src="{src}" alt="x"></body></html>'
        with pytest.raises(RefusedFetch):
            write_pdf(html, tmp_path / "out.pdf", tmp_path, "id")
    inside = f'<html><body><img src="{(tmp_path / "inside.png").as_uri()}" alt="x"></body></html>'
    write_pdf(inside, tmp_path / "ok.pdf", tmp_path, "id")
    assert (tmp_path / "ok.pdf").read_bytes().startswith(b"%PDF")


def test_hostile_paper_builds_without_its_html(tmp_path: Path) -> None:
    out = tmp_path / "out"
    status = main(
        ["build", str(CORPUS / "raw-html.md"), "--out", str(out), "--quiet", "--format", "html,pdf"]
    )
    assert status == 0
    html = (out / "raw-html.html").read_text("utf-8").lower()
    for tag in ("<script", "<img", "<link", "<object"):
        assert tag not in html
    assert "&lt;script&gt;" in html  # shown as text, escaped
    pdf = (out / "raw-html.pdf").read_bytes()
    assert (
        b"/JavaScript" not in pdf and b"/EmbeddedFile" not in pdf and b"/URI (http://127" not in pdf
    )


def test_build_refuses_a_paper_that_reaches_outside(tmp_path: Path) -> None:
    status = main(
        [
            "build",
            str(CORPUS / "outside-files.md"),
            "--out",
            str(tmp_path),
            "--quiet",
            "--force",
            "--format",
            "pdf",
        ]
    )
    assert status == 1
    assert not list(tmp_path.glob("*.pdf"))


def _spans(value: object) -> list[tuple[int, int]]:
    found = []
    if isinstance(value, Span):
        found.append((value.line, value.end_line))
    elif isinstance(value, list):
        for item in value:
            found += _spans(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            found += _spans(getattr(value, field.name))
    return found


def uncovered_lines(paper: Paper, source: str) -> list[int]:
    """Non-blank source lines that no node of the model and no ignored span accounts for."""
    covered = set()
    for start, end in _spans(paper):
        covered.update(range(start, end + 1))
    lines = source.replace("\r\n", "\n").split("\n")
    return [
        number
        for number, line in enumerate(lines, start=1)
        if line.strip() and number not in covered
    ]


def test_nothing_of_the_real_paper_is_lost(paper: Paper, paper_text: str) -> None:
    assert uncovered_lines(paper, paper_text) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paper_source())
def test_nothing_of_a_generated_paper_is_lost(source: str) -> None:
    assert uncovered_lines(ranpaper.parse(source), source) == []


_META = st.sampled_from(
    [
        *list("*_`[]()<>#!-+:>|\\&^~=\n \t"),
        "---\n",
        "- ",
        "> ",
        "[^1]",
        "<!--",
        "-->",
        "](",
        "![",
        "**",
        "```",
        "\r\n",
        "\ufeff",
        "1. ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_META, st.text(max_size=5)), max_size=60).map("".join))
def test_parse_raises_nothing_on_arbitrary_text(text: str) -> None:
    paper = ranpaper.parse(text)
    from ranpaper.check import check_paper
    from ranpaper.config import Config

    check_paper(paper, Config())  # the rules, too, cope with whatever the parser made


def test_a_paper_linking_outside_its_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text(MINIMAL, "utf-8")
    (tmp_path / "sneaky.md").symlink_to("/etc/hostname")
    result = subprocess.run(
        [sys.executable, "-m", "ranpaper", "check", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "sneaky.md: is a link to a file outside the folder" in result.stderr
    assert result.stdout == ""


# --- no internal error, whatever the paper: random Unicode, YAML and nested Markdown ---------

_ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # a file cannot hold a lone surrogate
_YAML_ESCAPES = st.sampled_from(['"\\uD800"', '"\\udfff x"', '"\\e[2J"', '"a\\x07b"', '"\\0"'])
_YAML_SCALAR = st.one_of(st.text(_ANY_CHAR, max_size=12).map(json.dumps), _YAML_ESCAPES)
_YAML_VALUE = st.recursive(
    _YAML_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from(["name", "period", "a", "b"]), inner, max_size=3).map(
            lambda items: "{" + ", ".join(f"{k}: {v}" for k, v in items.items()) + "}"
        ),
    ),
    max_leaves=12,
)
_FRONT_KEYS = st.sampled_from(["title", "date", "leaders", "kind", "title", "x"])
_FRONT_MATTER = st.one_of(
    st.lists(st.tuples(_FRONT_KEYS, _YAML_VALUE), max_size=5).map(
        lambda pairs: "---\n" + "".join(f"{k}: {v}\n" for k, v in pairs) + "---\n"
    ),
    st.integers(0, 400).map(lambda depth: "---\nkind: " + "[" * depth + "]" * depth + "\n---\n"),
    st.just(""),
)
_WORDS = st.text(_ANY_CHAR, max_size=20)
_DEPTH = st.integers(0, 60)
_NESTED = st.one_of(
    st.tuples(_DEPTH, _WORDS).map(lambda d: "".join("  " * i + f"- {d[1]}\n" for i in range(d[0]))),
    st.tuples(_DEPTH, _WORDS).map(lambda d: "> " * d[0] + d[1] + "\n"),
    st.tuples(st.integers(0, 300), _WORDS).map(lambda d: "*" * d[0] + d[1] + "*" * d[0] + "\n"),
    st.tuples(st.integers(0, 100), _WORDS).map(
        lambda d: "- " + d[1] + " ([a](#), [b](#))" * d[0] + ", 2020\n"
    ),
    st.sampled_from(["[^l]: see [^l]\n", "x <!-- hidden --> y\n", "<!-- c --> text\n"]),
    _WORDS.map(lambda words: words + "\n"),
)
_SKELETON = "# Main theme 1: T\n\n## Topic\n\n### Meetings and papers\n\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _FRONT_MATTER,
    st.lists(_NESTED, max_size=6),
    st.sampled_from(["text", "json", "github", "sarif"]),
)
def test_check_has_no_internal_error_on_any_input(
    front: str, blocks: list[str], output: str
) -> None:
    """Every output format, too, copes with whatever text the paper holds."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paper = Path(folder) / "paper.md"
        paper.write_text(front + _SKELETON + "\n".join(blocks), "utf-8")
        out = Path(folder) / "report.txt"
        status = main(["check", str(paper), "--format", output, "--output", str(out)])
        assert status in (0, 1), out.read_text("utf-8") if out.exists() else status
        out.read_text("utf-8")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40), st.lists(_NESTED, max_size=4))
def test_parse_and_check_accept_any_python_string(words: str, blocks: list[str]) -> None:
    """The library takes any `str`, lone surrogates and control characters included."""
    from ranpaper.check import check_paper
    from ranpaper.config import Config

    paper = ranpaper.parse(
        "---\ndate: 2021-11-24\n---\n" + _SKELETON + words + "\n" + "".join(blocks)
    )
    for diagnostic in check_paper(paper, Config()):
        diagnostic.message.encode("utf-8")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FRONT_MATTER, st.lists(_NESTED, max_size=6))
def test_build_has_no_internal_error_on_any_input(front: str, blocks: list[str]) -> None:
    """The same papers through `build` (forced past the check's errors): the web page, the
    JSON, the Markdown of the briefs and the Word document are made, or the build stops with
    a clear error; the PDF is WeasyPrint's own HTML, tested on the paper and the corpus."""
    import contextlib
    import io
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paper = Path(folder) / "paper.md"
        paper.write_text(front + _SKELETON + "\n".join(blocks), "utf-8")
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            status = main(
                [
                    "build",
                    str(paper),
                    "--out",
                    str(Path(folder) / "out"),
                    "--force",
                    "--quiet",
                    "--format",
                    "html,json,docx",
                ]
            )
        assert "internal error" not in errors.getvalue(), errors.getvalue()
        assert status in (0, 1, 2), errors.getvalue()
