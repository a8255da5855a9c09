"""``python -m gate`` and the ``pulumi-policy-gate`` command.

The interpreter is checked before anything the gate needs is imported, so that a wrong Python or
a missing dependency is one paragraph and exit 2, never a traceback. This module must stay
importable on any Python 3 (no syntax or typing newer than 3.6).
"""

import importlib.util
import platform
import sys

MIN_PYTHON = (3, 11)
GATE_MODULES = {
    "grpc": "grpcio",
    "google.protobuf": "protobuf",
    "yaml": "PyYAML",
    "jsonschema": "jsonschema",
    "pulumi": "pulumi",
}
"""Modules the gate itself imports (module -> distribution to install)."""


def _importable(module):
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a missing parent package ("google")
        return False


def interpreter_problem():
    """One paragraph saying why this interpreter cannot run the gate, or None if it can."""
    found = f"{sys.executable} (Python {platform.python_version()})"
    if sys.version_info < MIN_PYTHON:
        lacks = "is too old"
    else:
        missing = [f"{m} ({dist})" for m, dist in GATE_MODULES.items() if not _importable(m)]
        if not missing:
            return None
        lacks = "lacks " + ", ".join(missing)
    return (
        f"the gate needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]}+ with its dependencies, and "
        f"{found} {lacks}. Install the gate into a Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]}+ "
        "virtualenv (pip install git+<this repository's URL>) and run pulumi-policy-gate, or in "
        "a checkout run `make gate`, which builds .venv with everything it needs."
    )


def entry():
    """Console-script entry point: check the interpreter, then run the CLI."""
    problem = interpreter_problem()
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    from gate.cli import main  # noqa: PLC0415 (only once the interpreter is known to fit)

    return main()


if __name__ == "__main__":
    sys.exit(entry())
