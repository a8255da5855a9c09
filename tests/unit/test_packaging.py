"""The deployment package: handler sources in, dev files out, a missing handler refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.packaging import PackagingError, code_archive, package_files


def write(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# x\n", encoding="utf-8")


def test_dev_files_are_left_out(tmp_path: Path) -> None:
    write(
        tmp_path,
        "main.py",
        "processing/records.py",
        "schema.json",
        "requirements.txt",
        "requirements-dev.txt",
        "__pycache__/main.cpython-311.pyc",
        "processing/__pycache__/records.cpython-311.pyc",
        "tests/test_main.py",
        ".env",
        "stray.pyc",
    )
    assert package_files(tmp_path, "main.lambda_handler") == [
        "main.py",
        "processing/records.py",
        "schema.json",
    ]


def test_archive_members_are_the_package_files(tmp_path: Path) -> None:
    write(tmp_path, "main.py", "requirements.txt")
    assert set(code_archive(tmp_path, "main.lambda_handler").assets) == {"main.py"}


def test_a_missing_handler_module_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "handler.py")
    with pytest.raises(PackagingError, match=r"main\.lambda_handler.*main\.py"):
        package_files(tmp_path, "main.lambda_handler")


def test_a_missing_code_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackagingError, match="does not exist"):
        package_files(tmp_path / "nope", "main.lambda_handler")
