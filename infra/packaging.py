"""The function's deployment package: the handler's source files and nothing else.

Dev files (requirements*.txt, __pycache__, tests, dotfiles) are left out, so editing them does
not change the archive's hash or trigger a code update. Dependencies come from the Powertools
layer and the runtime's boto3, not from the package.
"""

from __future__ import annotations

from pathlib import Path

import pulumi

_EXCLUDED_DIRS = frozenset({"__pycache__", "tests", ".pytest_cache", ".mypy_cache", ".venv"})
_EXCLUDED_SUFFIXES = (".pyc", ".pyo")


class PackagingError(ValueError):
    """The code directory cannot serve the configured handler."""


def package_files(code_dir: Path, handler: str) -> list[str]:
    """The archive's members (POSIX paths relative to code_dir), sorted.

    Raises PackagingError when the handler's module is not among them.
    """
    if not code_dir.is_dir():
        raise PackagingError(f"function code directory {code_dir} does not exist")
    members = sorted(
        path.relative_to(code_dir).as_posix()
        for path in code_dir.rglob("*")
        if path.is_file() and _is_deployable(path.relative_to(code_dir))
    )
    module = handler.rsplit(".", 1)[0].replace(".", "/") + ".py"
    if module not in members:
        raise PackagingError(
            f"handler {handler!r} needs {code_dir / module}, which is missing from the package"
        )
    return members


def code_archive(code_dir: Path, handler: str) -> pulumi.AssetArchive:
    """An archive of the handler's source files."""
    return pulumi.AssetArchive(
        {name: pulumi.FileAsset(str(code_dir / name)) for name in package_files(code_dir, handler)}
    )


def _is_deployable(relative: Path) -> bool:
    parts = relative.parts
    if any(part in _EXCLUDED_DIRS or part.startswith(".") for part in parts):
        return False
    name = parts[-1]
    return not (name.endswith(_EXCLUDED_SUFFIXES) or name.startswith("requirements"))
