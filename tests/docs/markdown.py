"""The parts of README.md and docs/*.md the docs tests check: code blocks, inline code, links.

A fenced block may be preceded by a marker comment saying whether the docs test runs it:
``<!-- docs-test: run -->`` (run from the repository root; must exit 0, or the status given as
``run exit=N``) or ``<!-- docs-test: skip (why) -->``. Unmarked blocks are only checked: every
``make`` target and variable exists, every gate option exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL = {"sh", "bash", "shell", "console"}

_FENCE = re.compile(r"^(?P<indent> *)```(?P<info>[^`]*)$")
_MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<verdict>run|skip)\b(?P<rest>.*?)-->\s*$")
_INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
_LINK = re.compile(r"\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Block:
    """One fenced code block: where it is, its language, its text and its marker (if any)."""

    path: Path
    line: int
    language: str
    text: str
    marker: str  # "run", "skip" or "" (unmarked)
    detail: str  # "exit=N" for run, the reason for skip

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"

    def commands(self) -> list[str]:
        """Shell commands with continuation lines joined and comments left in."""
        return [c for c in self.text.replace("\\\n", " ").splitlines() if c.strip()]


def blocks(path: Path) -> list[Block]:
    found = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if not fence or not fence["info"].strip():
            index += 1
            continue
        indent, language = len(fence["indent"]), fence["info"].strip().split()[0]
        previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = _MARKER.match(previous)
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        text = "\n".join(line[indent:] for line in lines[index + 1 : end])
        found.append(
            Block(
                path,
                index + 1,
                language,
                text + "\n",
                marker["verdict"] if marker else "",
                marker["rest"].strip() if marker else "",
            )
        )
        index = end + 1
    return found


def inline_code(path: Path) -> list[str]:
    """Inline code spans outside fenced blocks."""
    outside, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip().startswith("```"):
            inside = not inside
        elif not inside:
            outside.append(line)
    return _INLINE.findall("\n".join(outside))


def links(path: Path) -> list[str]:
    return _LINK.findall(path.read_text(encoding="utf-8"))
