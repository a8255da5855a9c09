"""A policy pack's manifest, ``PulumiPolicy.yaml``: its runtime, version and virtualenv."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import GateError


@dataclass(frozen=True)
class PackSpec:
    """A policy pack directory and how to run it (from ``PulumiPolicy.yaml``)."""

    directory: Path
    python: str
    version: str
    virtualenv: Path | None


def read_pack(directory: str | Path, default_python: str, use_virtualenv: bool = True) -> PackSpec:
    """Read ``PulumiPolicy.yaml``; GateError when the directory is not a Python policy pack.

    ``use_virtualenv=False`` runs the pack on ``default_python`` whatever virtualenv the
    manifest names (the bundled pack: its requirements are the gate's own).
    """
    path = Path(directory).resolve()
    manifest = path / "PulumiPolicy.yaml"
    if not path.is_dir():
        raise GateError(
            f"Policy pack directory '{directory}' does not exist; pass --policy-pack DIR "
            "naming a directory with a PulumiPolicy.yaml (the default is the bundled pack)."
        )
    if not manifest.is_file():
        raise GateError(f"No PulumiPolicy.yaml in {path}: --policy-pack must name a policy pack.")
    try:
        document = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise GateError(f"Cannot read {manifest}: {err}.") from err
    if not isinstance(document, dict):
        raise GateError(f"{manifest} must be a mapping with a 'runtime:' key.")
    runtime = document.get("runtime")
    name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if name != "python":
        raise GateError(f"{manifest} declares runtime '{name}'; the gate runs Python packs only.")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    venv_option = options.get("virtualenv") if isinstance(options, dict) else None
    python, venv = default_python, None
    if use_virtualenv and isinstance(venv_option, str):
        venv = (path / venv_option).absolute()
        candidate = venv / "bin" / "python"
        if not candidate.exists():
            raise GateError(
                f"{manifest} names the virtualenv '{venv_option}', but {candidate} does not "
                "exist: create it (python -m venv) and install the pack's requirements."
            )
        python = str(candidate)
    return PackSpec(path, python, str(document.get("version") or ""), venv)
