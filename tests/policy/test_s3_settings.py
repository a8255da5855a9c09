"""S3 settings through the gate: each setting is judged on its own content wherever it points, and
a bucket passes only by a setting proved linked to it, in a default and a first (`--fresh`)
preview."""

from __future__ import annotations

import pytest

from .conftest import preview

VERSIONING = "s3-bucket-versioning-enabled"
ENCRYPTION = "s3-bucket-encryption-enabled"
PUBLIC = "s3-bucket-public-access-blocked"
SETTINGS = (VERSIONING, ENCRYPTION, PUBLIC)
ALL_THREE = {VERSIONING, ENCRYPTION, PUBLIC}

# Mandatory in both modes: (resource name) -> policies.
MANDATORY_BOTH = {
    # A later setting switching protection off is reported on itself, next to a good one.
    "switched-off-versioning": {VERSIONING},
    "switched-off-sse": {ENCRYPTION},
    "switched-off-pab": {PUBLIC},
    # Settings aimed at a bucket outside the stack by literal name.
    "outside-suspended": {VERSIONING},
    "outside-no-algorithm": {ENCRYPTION},
    "outside-pab-off": {PUBLIC},
    # Settings whose bucket is unknown in a first preview.
    "unknown-target-suspended": {VERSIONING},
    "unknown-target-pab-off": {PUBLIC},
    # Object Lock explicitly off: a BucketVersioning is still needed.
    "object-lock-off": {VERSIONING},
    "account-block-later-off": {PUBLIC},
}
# Decoys: settings that depend on the bucket but name another one.
DECOYS = {"decoy-apply": ALL_THREE, "decoy-all": ALL_THREE}
COMPLIANT = {
    "by-name",
    "switched",
    "outside-good-versioning",
    "outside-good-sse",
    "outside-good-pab",
    "object-locked",
    "object-locked-inline",
    "account-block",
}


def judged(report, level: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for v in report.violations:
        if v.policy in SETTINGS and v.enforcement_level == level:
            found.setdefault(v.urn.rsplit("::", 1)[-1], set()).add(v.policy)
    return found


@pytest.fixture(scope="module")
def default():
    return preview("s3_settings")


@pytest.fixture(scope="module")
def fresh():
    return preview("s3_settings", fresh=True)


def test_default_preview_reports_bad_settings_and_decoys_as_mandatory(default):
    assert judged(default, "mandatory") == {**MANDATORY_BOTH, **DECOYS}
    assert judged(default, "advisory") == {}


def test_fresh_preview_bad_settings_stay_mandatory(fresh):
    assert judged(fresh, "mandatory") == MANDATORY_BOTH


def test_fresh_preview_unprovable_links_cannot_be_verified(fresh):
    # `bucket=b.id`, `b.id.apply(...)` and `Output.all(b.id, x).apply(...)` all depend on the
    # bucket alone and are unknown: never a silent pass, never a false mandatory.
    assert judged(fresh, "advisory") == {
        "by-id": ALL_THREE,
        **DECOYS,
        "object-lock-later": {VERSIONING},
    }
    for v in fresh.violations:
        if v.policy in SETTINGS and v.enforcement_level == "advisory":
            assert "cannot verify during preview" in v.message
            if not v.urn.endswith("::object-lock-later"):
                assert "bucket=<bucket>.bucket" in v.message


def test_onunknown_mandatory_blocks_unprovable_links():
    report = preview(
        "s3_settings", fresh=True, config={"pack-settings": {"onUnknown": "mandatory"}}
    )
    assert judged(report, "mandatory") == {
        **MANDATORY_BOTH,
        "by-id": ALL_THREE,
        **DECOYS,
        "object-lock-later": {VERSIONING},
    }


def test_compliant_resources_pass_in_both_modes(default, fresh):
    for report in (default, fresh):
        flagged = set(judged(report, "mandatory")) | set(judged(report, "advisory"))
        assert COMPLIANT.isdisjoint(flagged)


def test_messages_name_the_setting_its_target_and_the_fix(default, fresh):
    by_name = {
        (v.urn.rsplit("::", 1)[-1], v.policy): v.message
        for v in default.violations
        if v.policy in SETTINGS
    }
    message = by_name[("outside-suspended", VERSIONING)]
    assert "'existing-bucket-elsewhere' (not declared in this stack)" in message
    assert "'Suspended'" in message and "'status': 'Enabled'" in message
    assert "uses sse_algorithm 'AES128'" in by_name[("switched-off-sse", ENCRYPTION)]
    assert "ignorePublicAcls" in by_name[("switched-off-pab", PUBLIC)]
    unknown_target = [
        v.message
        for v in fresh.violations
        if v.urn.endswith("::unknown-target-suspended") and v.policy == VERSIONING
    ]
    assert "on a bucket unknown until apply" in unknown_target[0]


def test_require_kms_judges_every_setting_by_the_configured_algorithms():
    report = preview("s3_settings", config={ENCRYPTION: {"requireKms": True}})
    flagged = {
        v.urn.rsplit("::", 1)[-1]
        for v in report.violations
        if v.policy == ENCRYPTION and v.enforcement_level == "mandatory"
    }
    # Every AES256 setting, in or outside the stack, and every bucket relying on one.
    assert {"by-name-sse", "outside-good-sse", "by-name", "object-locked"} <= flagged
