"""README.md and docs/*.md say only what exists: make targets and variables, gate options, files,
action inputs; the blocks marked `docs-test: run` run and policy configs shown are valid."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path

import pytest
import yaml

from .markdown import DOCUMENTS, REPO, SHELL, Block, blocks, inline_code, links

ALL_BLOCKS = [block for path in DOCUMENTS for block in blocks(path)]
_MAKE = re.compile(r"(?:^|[\s;&|(`])make((?:\s+[A-Za-z_][\w-]*(?:=(?:\"[^\"]*\"|'[^']*'|\S*))?)+)")
_GATE = re.compile(r"(?:-m gate|pulumi-policy-gate)\b(?P<args>.*)")
_OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])")


@cache
def make_targets_and_variables() -> tuple[set[str], set[str]]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, re.M))
    variables = set(re.findall(r"\$\(([A-Z_]+)\)", text))
    return targets, variables


@cache
def gate_options() -> set[str]:
    usage = subprocess.run(
        [sys.executable, "-m", "gate", "--help"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return set(_OPTION.findall(usage))


def command_texts() -> list[tuple[str, str]]:
    """(where, text) of every shell command line and every inline code span in the docs."""
    found = [
        (block.where, command)
        for block in ALL_BLOCKS
        if block.language in SHELL
        for command in block.commands()
    ]
    for path in DOCUMENTS:
        found += [(str(path.relative_to(REPO)), span) for span in inline_code(path)]
    return found


def test_the_docs_show_commands() -> None:
    """The checks below are not vacuous: the docs do show make and gate commands."""
    texts = " ".join(text for _, text in command_texts())
    assert "make gate" in texts
    assert "-m gate --program" in texts
    assert "pulumi-policy-gate --program" in texts


def test_every_make_target_and_variable_exists() -> None:
    targets, variables = make_targets_and_variables()
    for where, text in command_texts():
        for match in _MAKE.finditer(text):
            for word in shlex.split(match.group(1)):
                name, assign, _ = word.partition("=")
                if assign:
                    assert name in variables, f"{where}: make variable {name} is not used"
                elif not word.startswith(("-", '"', "'")):
                    assert word in targets, f"{where}: `make {word}` is not a Makefile target"


def test_every_gate_option_exists() -> None:
    options = gate_options()
    for where, text in command_texts():
        match = _GATE.search(text)
        if match:
            for option in _OPTION.findall(match["args"].split(" #", 1)[0]):
                assert option in options, f"{where}: the gate has no option {option}"


def test_yaml_blocks_use_only_real_action_inputs_and_gate_options() -> None:
    inputs = set(yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))["inputs"])
    options = gate_options()
    for block in ALL_BLOCKS:
        if block.language != "yaml":
            continue
        document = yaml.safe_load(block.text)
        for job in (document or {}).get("jobs", {}).values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith(("OWNER/REPO", "./")):
                    unknown = set(step.get("with", {})) - inputs
                    assert not unknown, f"{block.where}: the action has no input {unknown}"
        for repo in (document or {}).get("repos", []):
            for hook in repo.get("hooks", []):
                args = [a for a in hook.get("args", []) if a.startswith("-")]
                assert set(args) <= options, f"{block.where}: unknown option in {args}"


def test_relative_links_resolve() -> None:
    for path in DOCUMENTS:
        for target in links(path):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            resolved = (path.parent / target.split("#", 1)[0]).resolve()
            assert resolved.exists(), f"{path.relative_to(REPO)}: broken link {target}"


def test_every_skip_says_why() -> None:
    for block in ALL_BLOCKS:
        if block.marker == "skip":
            assert re.fullmatch(r"\(.{10,}\)", block.detail), f"{block.where}: skip without reason"


RUN_BLOCKS = [block for block in ALL_BLOCKS if block.marker == "run"]


def test_some_blocks_run() -> None:
    assert RUN_BLOCKS, "no block is marked `docs-test: run`"


@pytest.mark.parametrize("block", RUN_BLOCKS, ids=[block.where for block in RUN_BLOCKS])
def test_marked_block_runs(block: Block) -> None:
    expected = int(block.detail.removeprefix("exit=")) if block.detail else 0
    assert block.language in SHELL, f"{block.where}: only shell blocks can run"
    # make's PYTHON (an environment variable `?=` honours) is the suite's own interpreter, so
    # `make gate` in a block never rebuilds the .venv the suite runs from.
    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", block.text],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHON": sys.executable},
    )  # fmt: skip
    assert result.returncode == expected, f"{block.where}\n{result.stdout}\n{result.stderr}"


POLICY_CONFIGS = [
    block
    for path in (REPO / "docs" / "adopting.md", REPO / "docs" / "policies.md")
    for block in blocks(path)
    if block.language == "json"
]


def _current(config: dict) -> dict:
    """The config with every exemption date that has passed moved 30 days ahead.

    An example's `expires` is a fixed date; once it passes, the pack rightly refuses it. The docs
    stay true (the format is what is shown), and the suite does not fail on a calendar date.
    """
    today = dt.datetime.now(dt.UTC).date()
    for exemption in config.get("pack-settings", {}).get("exemptions", []):
        if dt.date.fromisoformat(exemption["expires"]) < today:
            exemption["expires"] = (today + dt.timedelta(days=30)).isoformat()
    return config


@pytest.mark.parametrize("block", POLICY_CONFIGS, ids=[block.where for block in POLICY_CONFIGS])
def test_policy_configs_shown_are_valid_for_the_bundled_pack(block: Block, tmp_path: Path) -> None:
    """Each JSON example is a policy config the gate accepts (exit 0 or 1, never 2)."""
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps(_current(json.loads(block.text))), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "gate", "--program", str(REPO), "--stack", "dev",
         "--policy-config", str(config)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode in (0, 1), f"{block.where}: {result.stderr}"


README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))


def test_readme_is_a_short_front_door() -> None:
    """Under 150 lines; the two set-up commands come first; a picture; a link to every doc."""
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 150
    first = blocks(README)[0]
    assert first.language in SHELL
    assert [c.split("#")[0].strip() for c in first.commands()] == ["make gate", "make test"]
    assert any(block.language == "mermaid" for block in blocks(README))
    linked = {target.split("#", 1)[0] for target in links(README)}
    missing = [f"docs/{doc.name}" for doc in DOCS if f"docs/{doc.name}" not in linked]
    assert not missing, f"README.md does not link {missing}"


def test_every_doc_has_one_title() -> None:
    """Each docs/ file is about one subject, named by its one `# ` title."""
    for doc in DOCS:
        lines = doc.read_text(encoding="utf-8").splitlines()
        titles = [line for line in lines if re.match(r"# \S", line)]
        fenced = "\n".join(block.text for block in blocks(doc))
        titles = [t for t in titles if t not in fenced]  # a shell or Python comment is no title
        assert len(titles) == 1, f"docs/{doc.name}: titles {titles}"


_PATH = re.compile(r"^\.?[\w-]+(?:/[\w.-]+)*(?:\.(?:py|json|ya?ml|md|txt|toml)|/)$")


def _installed_aliases() -> dict[str, str]:
    """Installed-layout directories and their checkout source (pyproject's package-dir)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    package_dir = pyproject["tool"]["setuptools"].get("package-dir", {})
    return {name.replace(".", "/") + "/": path + "/" for name, path in package_dir.items()}


def test_every_repository_path_named_exists() -> None:
    """An inline path (`gate/locations.py`, `rules/iam_inputs.json` in policypack/) exists."""
    aliases = _installed_aliases()
    checked = 0
    for path in [README, *DOCS]:
        for span in inline_code(path):
            if "/" not in span or not _PATH.match(span):
                continue
            named = span
            for installed, source in aliases.items():
                if named.startswith(installed):
                    named = source + named.removeprefix(installed)
            found = (REPO / named).exists() or (REPO / "policypack" / named).exists()
            assert found, f"{path.relative_to(REPO)} names `{span}`, which does not exist"
            checked += 1
    assert checked > 20  # the docs do name files: the check is not vacuous
