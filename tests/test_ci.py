"""CI in one paste (issue 23): the shell steps of the Action (`action.yml`) and of the workflow
in docs/ci.md run, as GitHub Actions would run them, in a temporary git repository that holds
only a paper: green with no configuration anywhere, and failing when the base branch's own
configuration makes a finding an error (so the configuration is pinned from the base branch,
not taken from the pull request). Install steps (pip, apt-get) are left out (ranpaper is
installed here); `uses:` steps are GitHub's own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PAPER_PATH, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
WORKFLOWS = [
    yaml.safe_load(block)
    for block in re.findall(
        r"```yaml\n(.*?)```", (ROOT / "docs" / "ci.md").read_text("utf-8"), re.S
    )
]
# The workflow written out step by step (the one with a build job).
WORKFLOW = next(w for w in WORKFLOWS if isinstance(w, dict) and "build" in w.get("jobs", {}))

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _repository(tmp_path: Path, base_config: str | None = None) -> Path:
    """A repository with only a paper (and, on its base branch, `base_config`), and a pull
    request on top that adds a configuration relaxing the check."""
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str) -> None:
        subprocess.run(
            ["git", *args],
            cwd=repo,
            check=True,
            capture_output=True,
            env={
                **os.environ,
                "GIT_AUTHOR_NAME": "t",
                "GIT_AUTHOR_EMAIL": "t@example.org",
                "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.org",
            },
        )

    git("init", "-q", "-b", "main")
    shutil.copy(PAPER_PATH, repo / "paper.md")
    if base_config is not None:
        (repo / "ranpaper.toml").write_text(base_config, "utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "the paper")
    git("update-ref", "refs/remotes/origin/main", "HEAD")  # what fetch-depth: 0 brings
    # The pull request's own configuration, which must not be what CI reads.
    (repo / "ranpaper.toml").write_text('severity = { RP301 = "info" }\n', "utf-8")
    return repo


class Runner:
    """Runs the `run:` steps of a job as the runner does (bash -e -o pipefail), with
    `${{ … }}` expressions evaluated from the inputs and the steps' outputs."""

    def __init__(self, repo: Path, temp: Path, inputs: dict[str, str]) -> None:
        self.repo, self.temp, self.inputs = repo, temp, inputs
        self.outputs: dict[str, dict[str, str]] = {}
        self.summary = temp / "summary.md"
        self.log = ""  # every step's stdout and stderr

    def value(self, expression: str) -> str:
        expression = expression.strip()
        if expression == "github.base_ref || 'main'":
            return "main"
        if expression == "github.base_ref":
            return ""  # a push to main
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "runner.temp":
            return str(self.temp)
        if match := re.fullmatch(r"inputs\.([\w-]+)", expression):
            return self.inputs[match.group(1)]
        if match := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        raise AssertionError(f"an expression the test does not know: {expression}")

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.value(m.group(1)), text)

    def wanted(self, step: dict[str, Any]) -> bool:
        condition = step.get("if")
        if condition is None:
            return True
        match = re.fullmatch(r"inputs\.([\w-]+) == '(\w+)'", condition.strip())
        assert match, f"a condition the test does not know: {condition}"
        return self.inputs[match.group(1)] == match.group(2)

    def run(self, steps: list[dict[str, Any]], env: dict[str, str] | None = None) -> int:
        """The job's shell steps in order; the first failing step's exit code, else 0."""
        for number, step in enumerate(steps):
            if "run" not in step or not self.wanted(step):
                continue
            script = self.expand(step["run"])
            if "pip install" in script or "apt-get install" in script:
                continue  # ranpaper and its system packages are installed where tests run
            output = self.temp / f"output-{number}"
            output.write_text("", "utf-8")
            environment = {
                **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
                **(env or {}),
                **{k: self.expand(str(v)) for k, v in step.get("env", {}).items()},
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                "RUNNER_TEMP": str(self.temp),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(self.summary),
                "GITHUB_WORKSPACE": str(self.repo),
                "GITHUB_ACTION_PATH": str(ROOT),
            }
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                cwd=self.repo,
                env=environment,
                capture_output=True,
                text=True,
                timeout=300,
            )
            self.log += result.stdout + result.stderr
            lines = output.read_text("utf-8").splitlines()
            if "id" in step:
                self.outputs[step["id"]] = dict(line.split("=", 1) for line in lines if "=" in line)
            if result.returncode != 0:
                return result.returncode
        return 0


ACTION_INPUTS = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}


def test_the_action_checks_and_builds_a_repository_with_only_a_paper(tmp_path: Path) -> None:
    repo = _repository(tmp_path)
    temp = tmp_path / "runner"
    temp.mkdir()
    inputs = {**ACTION_INPUTS, "build": "true", "build-formats": "html,json"}
    runner = Runner(repo, temp, inputs)
    assert runner.run(ACTION["runs"]["steps"]) == 0, runner.log
    assert runner.outputs["config"] == {"args": "--isolated"}
    sarif = Path(runner.outputs["sarif"]["file"])
    assert '"version": "2.1.0"' in sarif.read_text("utf-8")
    assert "::warning file=paper.md" in runner.log
    assert "### ranpaper check passed" in runner.summary.read_text("utf-8")
    assert "checking with the defaults (--isolated)" in runner.log
    assert (Path(runner.outputs["build"]["out"]) / "paper.html").is_file()
    assert not (repo / "build").exists()  # outputs outside the repository's papers


def test_the_action_pins_the_base_branch_configuration(tmp_path: Path) -> None:
    repo = _repository(tmp_path, base_config='[severity]\nRP301 = "error"\n')
    temp = tmp_path / "runner"
    temp.mkdir()
    runner = Runner(repo, temp, dict(ACTION_INPUTS))
    assert runner.run(ACTION["runs"]["steps"]) == 1  # the base branch's rule, not the PR's
    assert runner.outputs["config"]["args"].startswith("--config ")
    assert "::error file=paper.md" in runner.log


@pytest.mark.parametrize("job", ["check", "build"])
def test_the_documented_workflow_runs_green_in_a_repository_with_only_a_paper(
    tmp_path: Path, job: str
) -> None:
    repo = _repository(tmp_path)
    temp = tmp_path / "runner"
    temp.mkdir()
    runner = Runner(repo, temp, {})
    steps = WORKFLOW["jobs"][job]["steps"]
    if job == "build":  # the test's build: the web page and the JSON, not every PDF
        steps = [
            {**s, "run": s["run"].replace("--format all", "--format html,json")}
            if "run" in s
            else s
            for s in steps
        ]
    assert runner.run(steps, env=WORKFLOW.get("env")) == 0, runner.log
    assert runner.outputs["config"] == {"args": "--isolated"}
    if job == "build":
        assert (temp / "paper" / "paper.html").is_file()
        assert "apt-get" in " ".join(s.get("run", "") for s in steps)


def test_the_documented_workflow_pins_the_base_branch_configuration(tmp_path: Path) -> None:
    repo = _repository(tmp_path, base_config='[severity]\nRP301 = "error"\n')
    temp = tmp_path / "runner"
    temp.mkdir()
    runner = Runner(repo, temp, {})
    assert runner.run(WORKFLOW["jobs"]["check"]["steps"]) == 1
    assert "::error file=paper.md" in runner.log
