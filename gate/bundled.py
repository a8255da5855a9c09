"""Where the policy pack that ships with the gate lives, and what running it needs.

In a checkout the pack is ``policypack/`` beside ``gate/``; in an installed distribution
(``pip install``) it is the package data ``gate/bundled_pack/`` (``pyproject.toml`` maps one to
the other). The bundled pack's requirements are the distribution's own dependencies, so it runs
on the gate's interpreter whatever virtualenv its ``PulumiPolicy.yaml`` names for the Pulumi CLI.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from .errors import GateError

_PACKAGE = Path(__file__).resolve().parent
PACK_MODULES = {
    "pulumi_policy": "pulumi-policy",
    "policy_sentry": "policy-sentry",
    "cloudsplaining": "cloudsplaining",
}
"""Modules the bundled pack imports beyond the gate's own (module -> distribution)."""


def bundled_pack_dir() -> Path:
    """The bundled pack's directory; GateError if neither layout has one (a broken install)."""
    for candidate in (_PACKAGE / "bundled_pack", _PACKAGE.parent / "policypack"):
        if (candidate / "PulumiPolicy.yaml").is_file():
            return candidate
    raise GateError(
        f"The gate's bundled policy pack is missing from {_PACKAGE} (a broken install): "
        "reinstall the gate, or pass --policy-pack DIR."
    )


def is_bundled(directory: Path) -> bool:
    """True when ``directory`` is the bundled pack (in either layout)."""
    try:
        return directory.resolve() == bundled_pack_dir().resolve()
    except GateError:
        return False


def check_pack_modules() -> None:
    """GateError naming what this interpreter lacks to run the bundled pack."""
    missing = [
        f"{module} ({dist})"
        for module, dist in PACK_MODULES.items()
        if importlib.util.find_spec(module) is None
    ]
    if missing:
        raise GateError(
            f"The bundled policy pack runs on the gate's interpreter ({sys.executable}), which "
            f"lacks {', '.join(missing)}: install the gate with its dependencies "
            "(pip install <this repository>), or pass --policy-pack DIR for a pack with its own "
            "virtualenv."
        )
