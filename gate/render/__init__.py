"""Report renderers: text (like `pulumi preview`'s Policies section), JSON, SARIF 2.1.0, JUnit."""

from __future__ import annotations

import json
from collections.abc import Callable

from ..report import Report
from .junit import render_junit
from .sarif import render_sarif
from .text import render_text, summary_line


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), indent=2) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
}

__all__ = [
    "RENDERERS",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_text",
    "summary_line",
]
