"""The pack's policies, one module per resource family; importing them starts no server."""

from __future__ import annotations

from pulumi_policy import Policy

from . import (
    iam,
    iam_advisories,
    iam_escalation,
    iam_joined,
    kms,
    lambda_functions,
    logs,
    opaque,
    pack_settings,
    resource_policies,
    s3,
    s3_public,
    s3_tls,
    tags,
)
from .framework import Meta, resource_policy, stack_policy, validator_for
from .settings import ConfigValidator

RESOURCE_POLICIES = (
    (iam.SCOPED, iam.check_scoped_resources),
    (iam.NO_WILDCARD_ACTIONS, iam.check_no_wildcard_actions),
    (iam.KNOWN_ACTIONS, iam.check_known_actions),
    (iam_advisories.USER_POLICIES, iam_advisories.check_user_policies),
    (iam_advisories.ACCOUNT_TRUST, iam_advisories.check_account_trust),
    (tags.REQUIRED_TAGS, tags.check_required_tags),
    (lambda_functions.RUNTIME, lambda_functions.check_runtime),
    (lambda_functions.PERMISSION, lambda_functions.check_permission),
    (logs.LOG_RETENTION, logs.check_log_retention),
    (kms.KEY_ROTATION, kms.check_key_rotation),
    (opaque.OPAQUE, opaque.check_opaque),
    (resource_policies.NOT_PUBLIC, resource_policies.check_not_public),
)
STACK_POLICIES = (
    (s3.VERSIONING, s3.check_versioning),
    (s3.ENCRYPTION, s3.check_encryption),
    (s3_public.PUBLIC_ACCESS, s3_public.check_public_access),
    (s3_tls.TLS_ONLY, s3_tls.check_tls_only),
    (iam_escalation.ESCALATION, iam_escalation.check_privilege_escalation),
    (iam_joined.JOINED, iam_joined.check_joined_scope),
    (lambda_functions.FAILURE_DESTINATION, lambda_functions.check_failure_destination),
)


def metas() -> list[Meta]:
    return [meta for meta, _ in RESOURCE_POLICIES + STACK_POLICIES]


def validators() -> dict[str, ConfigValidator | None]:
    """Policy name -> config validator; `pack-settings` parses its own config."""
    found: dict[str, ConfigValidator | None] = {
        m.name: (validator_for(m) if m.options else None) for m in metas()
    }
    found[pack_settings.PACK_SETTINGS.name] = None
    return found


def all_policies() -> list[Policy]:
    return [
        pack_settings.policy(),
        *(resource_policy(meta, check) for meta, check in RESOURCE_POLICIES),
        *(stack_policy(meta, check) for meta, check in STACK_POLICIES),
    ]
