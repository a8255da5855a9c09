"""The warm interpreter programs fork from: what one program loaded must not break the next."""

from __future__ import annotations

from pathlib import Path

import gate
from tests.gate.conftest import BASIC_PACK, write_program


def test_a_program_after_another_sees_whole_provider_packages(tmp_path: Path) -> None:
    # The first run makes the warm interpreter load the s3 package the program used; pulumi_aws
    # registers its packages lazily, and loading their submodules one by one used to leave
    # `aws.s3` half-initialised for the next program (`aws.s3.AccessPoint` missing).
    first = write_program(
        tmp_path / "first",
        """
        import pulumi_aws as aws
        aws.s3.Bucket("uploads")
        aws.iam.Role("role", assume_role_policy="{}")
        """,
    )
    second = write_program(
        tmp_path / "second",
        """
        import pulumi_aws as aws
        aws.s3.AccessPoint("point", bucket="uploads")
        aws.s3.BucketV2("legacy")
        aws.iam.Policy("policy", policy="{}")
        """,
    )
    assert gate.run(first, policy_pack=BASIC_PACK).resources
    types = {resource.type for resource in gate.run(second, policy_pack=BASIC_PACK).resources}
    assert {"aws:s3/accessPoint:AccessPoint", "aws:s3/bucketV2:BucketV2"} <= types
