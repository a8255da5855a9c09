"""The stack tags the CLI sends the pack in ``ConfigureStack``.

Mirrors pulumi/pulumi ``pkg/backend/stack.go`` (``GetEnvironmentTagsForCurrentStack`` and
``addGitMetadataToStackTags``): ``pulumi:project``, ``pulumi:runtime``, ``pulumi:description`` (when
``Pulumi.yaml`` has one), each entry of the ``pulumi:tags`` config (an object of strings, else an
error), and from the ``origin`` remote of the git repository holding the project ``vcs:owner``,
``vcs:repo`` and ``vcs:kind`` (``gitutil.TryGetVCSInfo``: the host, e.g. ``github.com``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from .errors import GateError
from .project import Project

TAGS_CONFIG_KEY = "pulumi:tags"
_SCP_RE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)$")
_URL_RE = re.compile(r"^[a-z+]+://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/(?P<path>.+)$")


def stack_tags(project: Project) -> dict[str, str]:
    """The tags of ``project``'s stack; GateError when ``pulumi:tags`` is malformed."""
    tags = {"pulumi:project": project.name, "pulumi:runtime": "python"}
    if project.description is not None:
        tags["pulumi:description"] = project.description
    tags.update(_config_tags(project.config.get(TAGS_CONFIG_KEY)))
    tags.update(vcs_tags(project.directory))
    return tags


def _config_tags(text: str | None) -> dict[str, str]:
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise GateError(f"{TAGS_CONFIG_KEY} must be an object of strings (the engine's message).")
    for name, item in value.items():
        if not isinstance(item, str):
            raise GateError(f"{TAGS_CONFIG_KEY}[{name}] must be a string (the engine's message).")
    return value


def vcs_tags(directory: Path) -> dict[str, str]:
    """``vcs:owner``/``vcs:repo``/``vcs:kind`` from the ``origin`` remote; none when unavailable."""
    git = shutil.which("git")
    if git is None:
        return {}
    try:
        completed = subprocess.run(
            [git, "-C", str(directory), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    url = completed.stdout.strip()
    if completed.returncode != 0 or not url:
        return {}
    match = _URL_RE.match(url) or _SCP_RE.match(url)
    if match is None:
        return {}
    parts = [p for p in match["path"].removesuffix("/").removesuffix(".git").split("/") if p]
    if len(parts) < 2:
        return {}
    return {"vcs:owner": "/".join(parts[:-1]), "vcs:repo": parts[-1], "vcs:kind": match["host"]}
