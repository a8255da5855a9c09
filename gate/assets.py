"""Assets and archives whose files are missing fail the run, as they fail the engine.

The resource monitor unmarshals every registration with ``ComputeAssetHashes`` (pulumi/pulumi
``pkg/resource/deploy/source_eval.go``, ``RegisterResource``), which reads each ``FileAsset`` and
``FileArchive`` (paths relative to the program's directory) to hash it; a missing file or an archive
of a format the engine cannot read (``sdk/go/common/resource/archive/archive.go``: a directory, or
``.tar``, ``.tgz``, ``.tar.gz``, ``.zip``, ``.jar``) fails the preview before any policy runs.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_SIG = "4dabf18193072939515e22adb298388d"
_ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
_ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
_ARCHIVE_SUFFIXES = (".tar", ".tgz", ".tar.gz", ".zip", ".jar")


def may_hold_assets(encoded: str) -> bool:
    """Whether base64 protobuf properties hold an asset or archive (a cheap test before a walk)."""
    raw = base64.b64decode(encoded)
    return _ASSET_SIG.encode() in raw or _ARCHIVE_SIG.encode() in raw


def asset_problems(properties: dict[str, Any], directory: Path) -> Iterator[str]:
    """One sentence per unreadable file asset or archive in ``properties`` (engine JSON form)."""
    for name, value in properties.items():
        yield from _walk(name, value, directory)


def _walk(where: str, value: Any, directory: Path) -> Iterator[str]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(f"{where}[{index}]", item, directory)
        return
    if not isinstance(value, dict):
        return
    signature = value.get(_SIG)
    if signature == _ASSET_SIG:
        path = value.get("path")
        if isinstance(path, str) and path and not (directory / path).is_file():
            yield f"'{where}' is a FileAsset of '{path}', which is not a readable file"
        return
    if signature == _ARCHIVE_SIG:
        path = value.get("path")
        if isinstance(path, str) and path:
            target = directory / path
            if not target.exists():
                yield f"'{where}' is a FileArchive of '{path}', which does not exist"
            elif target.is_file() and not path.lower().endswith(_ARCHIVE_SUFFIXES):
                yield (
                    f"'{where}' is a FileArchive of '{path}', whose format the engine cannot "
                    f"read (a directory or {', '.join(_ARCHIVE_SUFFIXES)})"
                )
        for key, item in (value.get("assets") or {}).items():
            yield from _walk(f"{where}.{key}", item, directory)
        return
    for key, item in value.items():
        yield from _walk(f"{where}.{key}", item, directory)
