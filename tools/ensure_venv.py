"""Make ``.venv`` ready for ``make``: rebuild one another Python left, install with progress.

Usage: ``python3 tools/ensure_venv.py VENV REQUIREMENTS...`` (the Makefile's ``venv`` target).

- The interpreter running this script is the one ``make`` was told to use (``PYTHON=``); it
  must be 3.11+.
- An existing VENV whose interpreter no longer runs (its base Python was removed or upgraded),
  or whose Python version differs from that interpreter's, is removed and made again: pip
  into a foreign interpreter gives a page of errors, not a venv.
- Requirements are installed when VENV/.installed is older than any requirements file (``-r``
  includes followed), with pip's own progress output. All progress goes to stderr: stdout is
  left to the target that runs after (``make gate > report.sarif``).

Exit 0 when VENV is ready; 2 with one paragraph on stderr when it cannot be made. This file
must stay parseable by any Python 3.7+, so that an old interpreter gets the message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

MIN_PYTHON = (3, 11)
STAMP = ".installed"
_INCLUDE = re.compile(r"^\s*(?:-r|--requirement)\s*=?\s*(\S+)")


def fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def say(message: str) -> None:
    """Progress goes to stderr, so that ``make gate > report`` writes only the report."""
    print(f"==> {message}", file=sys.stderr, flush=True)


def requirement_files(paths: list[Path]) -> list[Path]:
    """The files named and every file they include with ``-r``, each once."""
    seen: list[Path] = []
    pending = list(paths)
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.append(path)
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _INCLUDE.match(line)
            if match:
                pending.append(path.parent / match.group(1))
    return seen


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def venv_version(venv: Path) -> tuple[int, int] | None:
    """The venv interpreter's (major, minor), or None when it does not run."""
    try:
        out = subprocess.run(
            [str(venv_python(venv)), "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.split()
        return int(out[0]), int(out[1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def recorded_version(venv: Path) -> str:
    """The ``version`` pyvenv.cfg records, for the message (the interpreter may be gone)."""
    try:
        for line in (venv / "pyvenv.cfg").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            if key.strip() in ("version", "version_info"):
                return value.strip()
    except OSError:
        pass
    return "an unknown version"


def stale_reason(venv: Path) -> str | None:
    """Why an existing venv must be rebuilt, or None if it can be kept."""
    wanted = sys.version_info[:2]
    found = venv_version(venv)
    if found is None:
        return (
            f"its interpreter ({venv_python(venv)}, Python {recorded_version(venv)}) no longer runs"
        )
    if found != wanted:
        return f"it was made by Python {found[0]}.{found[1]}"
    return None


def create(venv: Path) -> None:
    say(f"creating {venv} with Python {sys.version.split()[0]} ({sys.executable})")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv_python(venv)),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--upgrade",
            "pip",
        ],
        stdout=sys.stderr,
        check=True,
    )


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        return fail(
            f"this repository needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]}+ and make was given "
            f"{sys.executable} (Python {sys.version.split()[0]}): install a newer Python and "
            "run make PYTHON=python3.12 (or whichever 3.11+ interpreter you have)."
        )
    if len(argv) < 2:
        return fail("usage: ensure_venv.py VENV REQUIREMENTS...")
    venv = Path(argv[0])
    requirements = [Path(name) for name in argv[1:]]
    missing = [str(path) for path in requirements if not path.is_file()]
    if missing:
        return fail(f"requirements file(s) {', '.join(missing)} not found; run make at the root.")
    if os.path.lexists(venv):
        reason = stale_reason(venv)
        if reason is not None:
            say(f"{venv} cannot be used: {reason}; removing it and making it again")
            if venv.is_symlink():
                venv.unlink()
            else:
                shutil.rmtree(venv)
    try:
        if not venv_python(venv).exists():
            create(venv)
        stamp = venv / STAMP
        files = requirement_files(requirements)
        newest = max(path.stat().st_mtime for path in files)
        if stamp.exists() and stamp.stat().st_mtime >= newest:
            return 0
        say(f"installing {', '.join(map(str, requirements))} into {venv} (pip's progress follows)")
        args = [str(venv_python(venv)), "-m", "pip", "install", "--disable-pip-version-check"]
        for path in requirements:
            args += ["-r", str(path)]
        subprocess.run(args, stdout=sys.stderr, check=True)
    except subprocess.CalledProcessError as err:
        return fail(
            f"`{' '.join(map(str, err.cmd))}` failed with status {err.returncode} (its output is "
            f"above); {venv} is left as it is: fix the cause, or run make clean and retry."
        )
    stamp.touch()
    say(f"{venv} is ready")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
