"""S3 bucket settings (versioning, default encryption, public-access block), judged twice.

A setting is a separate resource in pulumi-aws v7 (`BucketVersioning`, ...; the deprecated V2
tokens too) that names its bucket in its `bucket` input. Each one is judged:

1. On its own content, wherever it points: a bucket of this stack, the literal name of a bucket
   outside it, or a value unknown until apply. A `Suspended` versioning, a block with a flag off or
   an encryption rule without an accepted algorithm is a finding on the setting itself, so a later
   setting that switches protection off cannot hide behind an earlier good one on the same bucket.
2. For every bucket of the stack: it passes only when a setting proved to be linked to it (see
   `links.Links`) has compliant content. A link the pack cannot prove before apply (`bucket=b.id`
   while the bucket's id is unknown, or any transformation of it) is "cannot verify", never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .framework import Finding, Resource, Stack
from .links import Links, links_in
from .values import is_unknown

BUCKET_TYPES = {"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"}
VERSIONING_TYPES = {
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
}
ENCRYPTION_TYPES = {
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
}
ACCESS_BLOCK_TYPES = {"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"}
ACCESS_BLOCK_FLAGS = (
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
)

# A judge returns None when the setting complies, else (problem, depends_on_unknown).
Verdict = tuple[str, bool] | None
Judge = Callable[[Resource], Verdict]
# Whether a bucket is compliant without any setting (True), not (False), or unknown (None).
Inherent = Callable[[Resource], bool | None]


@dataclass(frozen=True)
class SettingKind:
    """One kind of bucket setting: its types, how its content is judged, what to tell the user."""

    types: set[str]
    noun: str  # "BucketVersioning"
    wanted: str  # what a compliant one does: "with status Enabled"
    fix: str
    judge: Judge
    inherent: Inherent | None = None
    inherent_what: str = ""  # what makes a bucket compliant by itself: "Object Lock"


def bucket_links(stack: Stack, setting_types: set[str]) -> Links:
    """How the stack's settings of `setting_types` link to its buckets (by the `bucket` input)."""
    return links_in(stack, setting_types, "bucket", BUCKET_TYPES, "bucket")


def _target(link_target: Resource | None, setting: Resource) -> str:
    value = setting.props.get("bucket")
    if link_target is not None:
        return f"bucket {link_target.name!r}"
    if isinstance(value, str):
        return f"bucket {value!r} (not declared in this stack)"
    return "a bucket unknown until apply"


def judge_settings(stack: Stack, kind: SettingKind) -> Iterator[Finding]:
    """Findings on every setting of `kind` (its content) and every bucket (its linked settings)."""
    links = bucket_links(stack, kind.types)
    verdicts: dict[str, Verdict] = {}
    for link in links.links:
        setting = link.setting
        verdict = verdicts[setting.urn] = kind.judge(setting)
        if verdict is None:
            continue
        problem, unknown = verdict
        where = _target(link.target, setting)
        yield Finding(
            f"{setting.label()} (on {where}) {problem}." + ("" if unknown else f" {kind.fix}"),
            setting,
            unknown,
        )
    for bucket in stack.of_types(BUCKET_TYPES):
        yield from _bucket_findings(bucket, kind, links, verdicts)


def _may_comply(verdict: Verdict) -> bool:
    return verdict is None or verdict[1]


def _bucket_findings(
    bucket: Resource, kind: SettingKind, links: Links, verdicts: dict[str, Verdict]
) -> Iterator[Finding]:
    inherent = kind.inherent(bucket) if kind.inherent else False
    linked = links.linked_to(bucket)
    if inherent or any(verdicts[s.urn] is None for s in linked):
        return
    start = f"bucket {bucket.name!r}"
    pending = [s for s in linked if _may_comply(verdicts[s.urn])]
    unverified = [s for s in links.unverified_for(bucket) if _may_comply(verdicts[s.urn])]
    floating = [s for s in links.floating if _may_comply(verdicts[s.urn])]
    shared_links = links.shared_with(bucket)
    if pending:
        yield Finding(
            f"{start}: whether its {kind.noun} {pending[0].name!r} complies is unknown until "
            "apply.",
            bucket,
            True,
        )
    elif inherent is None:
        yield Finding(
            f"{start} has no {kind.noun} linked to it, and whether it has {kind.inherent_what} "
            "is unknown until apply.",
            bucket,
            True,
        )
    elif unverified:
        yield Finding(
            f"{start}: {kind.noun} {unverified[0].name!r} takes its `bucket` from this bucket, "
            "but the value is unknown until apply, so the pack cannot tell this bucket's id from "
            "a value computed from it. Pass bucket=<bucket>.bucket (its name is known in "
            "preview) to make the link verifiable.",
            bucket,
            True,
        )
    elif shared_links:
        others = ", ".join(repr(b.name) for b in shared_links[0].ambiguous if b is not bucket)
        yield Finding(
            f"{start} has no {kind.noun} of its own: {kind.noun} {shared_links[0].setting.name!r} "
            f"takes its `bucket` from several buckets ({bucket.name!r}, {others}) and "
            f"configures only one of them. Give each bucket its own {kind.noun} with "
            f"bucket=<that bucket>.bucket. {kind.fix}",
            bucket,
        )
    elif floating:
        yield Finding(
            f"{start} has no {kind.noun} linked to it, and {kind.noun} {floating[0].name!r} "
            "targets a bucket unknown until apply (it may be this one).",
            bucket,
            True,
        )
    else:
        bad = f" (its {kind.noun} {linked[0].name!r} does not comply)" if linked else ""
        yield Finding(
            f"{start} has no {kind.noun} {kind.wanted} linked to it{bad}; a setting counts when "
            f"its `bucket` input is this bucket's id or name (inline bucket arguments do not). "
            f"{kind.fix}",
            bucket,
        )


def object_lock_enabled(bucket: Resource) -> bool | None:
    """Object Lock forces versioning on, and S3 refuses to suspend it on such a bucket.

    https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html ("When you create a
    bucket with Object Lock enabled, Amazon S3 automatically enables versioning"; "you can't
    suspend versioning for the bucket"). Set by `object_lock_enabled=True` or the deprecated
    inline `object_lock_configuration.object_lock_enabled="Enabled"`.
    """
    enabled = bucket.props.get("objectLockEnabled")
    if enabled is True:
        return True
    inline = bucket.props.get("objectLockConfiguration")
    inline_enabled = inline.get("objectLockEnabled") if isinstance(inline, dict) else inline
    if inline_enabled == "Enabled":
        return True
    if is_unknown(enabled) or is_unknown(inline) or is_unknown(inline_enabled):
        return None
    return False


def versioning_judge(setting: Resource) -> Verdict:
    config = setting.props.get("versioningConfiguration")
    status = config.get("status") if isinstance(config, dict) else config
    if is_unknown(config) or is_unknown(status):
        return "has a status unknown until apply", True
    if status != "Enabled":
        return f"has status {status!r}, not 'Enabled'", False
    return None


def encryption_judge(allowed: tuple[str, ...]) -> Judge:
    def judge(setting: Resource) -> Verdict:
        rules = setting.props.get("rules")
        if is_unknown(rules):
            return "has rules unknown until apply", True
        if not rules:
            return "has no rules", False
        saw_unknown = False
        for rule in rules:
            default = (
                rule.get("applyServerSideEncryptionByDefault") if isinstance(rule, dict) else rule
            )
            algorithm = default.get("sseAlgorithm") if isinstance(default, dict) else default
            if is_unknown(rule) or is_unknown(default) or is_unknown(algorithm):
                saw_unknown = True
            elif default is None:
                return "has a rule without apply_server_side_encryption_by_default", False
            elif algorithm not in allowed:
                return f"uses sse_algorithm {algorithm!r}; allowed: {', '.join(allowed)}", False
        if saw_unknown:
            return "has an sse_algorithm unknown until apply", True
        return None

    return judge


def access_block_judge(setting: Resource) -> Verdict:
    """Every flag must be true; an omitted flag is false (AWS's default for a bucket's block)."""
    values = {flag: setting.props.get(flag) for flag in ACCESS_BLOCK_FLAGS}
    off = [flag for flag, value in values.items() if not is_unknown(value) and value is not True]
    if off:
        return f"leaves {', '.join(off)} not true", False
    if any(is_unknown(v) for v in values.values()):
        return "has flags unknown until apply", True
    return None
