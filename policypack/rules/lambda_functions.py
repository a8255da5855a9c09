"""Lambda functions: supported runtimes, scoped invoke permissions, async failure destinations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from . import documents, public
from .arns import breadth_problem
from .conditions import value_problem
from .framework import Finding, Meta, Option, Resource, Stack, today
from .links import links_in
from .runtimes import DEPRECATION_DATES, supported_successors
from .values import contains_unknown, is_unknown

FUNCTION_TYPE = "aws:lambda/function:Function"
PERMISSION_TYPE = "aws:lambda/permission:Permission"
INVOKE_CONFIG_TYPE = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
_SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$")
# Alexa's principals are not *.amazonaws.com; they are scoped by the skill id (event_source_token).
_ALEXA_PRINCIPAL = re.compile(r"^alexa-[a-z0-9-]+\.amazon\.com$")
# Services whose source ARNs carry no account id, so aws:SourceAccount must pin the owner.
ACCOUNTLESS_ARN_SERVICES = {"s3.amazonaws.com"}


def _runtime_dates(value: Any) -> dict[str, dt.date]:
    if not isinstance(value, dict):
        raise ValueError(f"must be an object mapping runtime id to 'YYYY-MM-DD', got {value!r}")
    parsed: dict[str, dt.date] = {}
    for runtime, date in value.items():
        try:
            parsed[runtime] = dt.date.fromisoformat(date)
        except (TypeError, ValueError):
            raise ValueError(f"{runtime!r}: {date!r} is not a date YYYY-MM-DD") from None
    return parsed


RUNTIME = Meta(
    name="lambda-runtime-supported",
    description="Every zip-packaged Lambda function uses a runtime that is not past its "
    "deprecation date.",
    severity=Severity.HIGH,
    remediation="Move the function to a supported runtime (e.g. python3.13) and redeploy.",
    url="https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
    options=(
        Option(
            name="deprecatedRuntimes",
            schema={
                "type": "object",
                "description": "Extra or earlier deprecation dates: runtime id -> YYYY-MM-DD.",
                "additionalProperties": {"type": "string"},
            },
            default={},
            parse=_runtime_dates,
        ),
    ),
)
PERMISSION = Meta(
    name="lambda-permission-source-scoped",
    description="No lambda.Permission is public by AWS's definition (principal '*' only with a "
    "fixed principal_org_id, source_account or account-pinned source_arn), and one for a service "
    "principal names its source ARN (and the source account for S3).",
    severity=Severity.HIGH,
    remediation="Set source_arn to the exact resource that invokes the function (for S3 also "
    "source_account); for principal '*', set principal_org_id or name the account instead.",
    url="https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
)
FAILURE_DESTINATION = Meta(
    name="lambda-failure-destination",
    description="Every Lambda function sends failed asynchronous invocations to a dead-letter "
    "queue or an on-failure destination.",
    severity=Severity.MEDIUM,
    remediation="Set dead_letter_config={'target_arn': <queue>.arn} on the function, or declare "
    "aws.lambda_.FunctionEventInvokeConfig with destination_config.on_failure.",
    url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
    level=EnforcementLevel.ADVISORY,
)


def check_runtime(resource: Resource, config: dict[str, Any]) -> Iterator[Finding]:
    if resource.type != FUNCTION_TYPE:
        return
    package = resource.props.get("packageType", "Zip")
    if is_unknown(package):
        yield Finding(f"{resource.label()} has a package type unknown until apply.", resource, True)
        return
    if package == "Image":
        return
    runtime = resource.props.get("runtime")
    if is_unknown(runtime):
        yield Finding(f"{resource.label()} has a runtime unknown until apply.", resource, True)
        return
    now = today()
    successors = ", ".join(supported_successors(runtime if isinstance(runtime, str) else "", now))
    table = dict(DEPRECATION_DATES)
    for extra, date in config["deprecatedRuntimes"].items():
        listed = table.get(extra)
        table[extra] = date if listed is None else min(date, listed)
    if not isinstance(runtime, str) or runtime not in table:
        yield Finding(
            f"{resource.label()} uses runtime {runtime!r}, which is not in the pack's runtime "
            f"table, so its support cannot be confirmed; use one of: {successors}.",
            resource,
        )
        return
    deprecated = table[runtime]
    if deprecated is not None and deprecated <= now:
        yield Finding(
            f"{resource.label()} uses runtime {runtime!r}, deprecated since "
            f"{deprecated.isoformat()}; move it to one of: {successors}.",
            resource,
        )


def check_permission(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    if resource.type != PERMISSION_TYPE:
        return
    principal = resource.props.get("principal")
    if is_unknown(principal):
        yield Finding(f"{resource.label()} has a principal unknown until apply.", resource, True)
        return
    lowered = principal.lower() if isinstance(principal, str) else ""
    if not (_SERVICE_PRINCIPAL.match(lowered) or _ALEXA_PRINCIPAL.match(lowered)):
        statement = permission_statement(resource)
        exposure = public.statement_exposure(statement, public.Context.RESOURCE)
        if exposure is not None:
            yield Finding(
                f"{resource.label()} lets the public invoke the function: {exposure.message()}",
                resource,
                exposure.unknown,
            )
        return
    if isinstance(principal, str) and _ALEXA_PRINCIPAL.match(principal.lower()):
        token = resource.props.get("eventSourceToken")
        if not is_unknown(token) and not token:
            yield Finding(
                f"{resource.label()} lets {principal} invoke the function from any Alexa skill "
                "(no event_source_token); set event_source_token to your skill's id.",
                resource,
            )
        return
    principal = lowered
    yield from _variable_sources(resource)
    # An unknown source ARN or account may be a resource's ARN or a value computed from it
    # (`bucket.arn.apply(lambda _: "arn:aws:s3:::*")`): the engine sends an unknown with no
    # provenance, and `Analyze` carries no property dependencies at all (analyzer.proto,
    # AnalyzeRequest), so only a known value can be judged; an unknown one is "cannot verify".
    source_arn = resource.props.get("sourceArn")
    if is_unknown(source_arn):
        yield Finding(
            f"{resource.label()} has a source_arn unknown until apply, so whether it names one "
            "resource cannot be checked; build it from values known in preview (e.g. "
            "f'arn:aws:s3:::{name}' for a bucket of a known name).",
            resource,
            True,
        )
    elif not source_arn:
        yield Finding(
            f"{resource.label()} lets {principal} invoke the function on behalf of any "
            "resource (no source_arn); set source_arn to the invoking resource's ARN.",
            resource,
        )
    elif (
        isinstance(source_arn, str)
        and "${" not in source_arn  # reported once, by _variable_sources
        and (problem := breadth_problem(source_arn)) is not None
    ):
        yield Finding(
            f"{resource.label()} source_arn {source_arn!r} {problem}; "
            "name the one invoking resource.",
            resource,
        )
    account = resource.props.get("sourceAccount")
    if principal in ACCOUNTLESS_ARN_SERVICES and is_unknown(account):
        yield Finding(
            f"{resource.label()} has a source_account unknown until apply, so whether it pins "
            "the bucket owner cannot be checked.",
            resource,
            True,
        )
    elif principal in ACCOUNTLESS_ARN_SERVICES and not account:
        yield Finding(
            f"{resource.label()} lets {principal} invoke the function without "
            "source_account; S3 ARNs carry no account, so a bucket of that name in another "
            "account could invoke it. Set source_account to the bucket owner's account id.",
            resource,
        )


def _variable_sources(resource: Resource) -> Iterator[Finding]:
    """A source given as a policy variable (`${aws:SourceAccount}`) is filled from the request, so
    it matches every caller (see conditions.py)."""
    for prop, kind, shown in (
        ("sourceArn", "arn", "source_arn"),
        ("sourceAccount", "account", "source_account"),
    ):
        value = resource.props.get(prop)
        if isinstance(value, str) and "${" in value:
            problem = value_problem(kind, value)
            yield Finding(
                f"{resource.label()} {shown} {problem}; name the one invoking resource or account.",
                resource,
            )


def permission_statement(resource: Resource) -> documents.Statement:
    """The statement AWS writes for a `lambda.Permission` (AddPermission): `source_arn` as
    `ArnLike AWS:SourceArn`, `source_account` as `StringEquals AWS:SourceAccount`,
    `principal_org_id` as `StringEquals aws:PrincipalOrgID`, `function_url_auth_type` as
    `StringEquals lambda:FunctionUrlAuthType`, `event_source_token` as
    `StringEquals lambda:EventSourceToken`
    (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html)."""
    props = resource.props
    principal = props.get("principal")
    if isinstance(principal, str) and principal != "*":
        principal = {"AWS": principal}
    equals = {
        key: props[prop]
        for prop, key in (
            ("sourceAccount", "AWS:SourceAccount"),
            ("principalOrgId", "aws:PrincipalOrgID"),
            ("functionUrlAuthType", "lambda:FunctionUrlAuthType"),
            ("eventSourceToken", "lambda:EventSourceToken"),
        )
        if props.get(prop) not in (None, "")
    }
    condition: dict[str, Any] = {"StringEquals": equals} if equals else {}
    if props.get("sourceArn") not in (None, ""):
        condition["ArnLike"] = {"AWS:SourceArn": props["sourceArn"]}
    raw: dict[str, Any] = {"Effect": "Allow", "Principal": principal}
    if condition:
        raw["Condition"] = condition
    statement_id = props.get("statementId")
    return documents.Statement(1, statement_id if isinstance(statement_id, str) else "", raw)


def function_name(reference: str) -> str | None:
    """The function a `function_name` input names: a name, an ARN or a partial ARN
    (`123456789012:function:name`), without a version or alias qualifier."""
    parts = reference.split(":")
    if "function" not in parts:
        return reference if ":" not in reference else None
    after = parts[parts.index("function") + 1 :]
    return after[0] if after and after[0] else None


def _has_failure_destination(config: Resource) -> bool | None:
    destination = config.props.get("destinationConfig")
    if contains_unknown(destination):
        return None
    on_failure = destination.get("onFailure") if isinstance(destination, dict) else None
    return bool(isinstance(on_failure, dict) and on_failure.get("destination"))


def check_failure_destination(stack: Stack, _config: dict[str, Any]) -> Iterator[Finding]:
    links = links_in(
        stack, {INVOKE_CONFIG_TYPE}, "functionName", {FUNCTION_TYPE}, "name", name_of=function_name
    )
    for function in stack.of_types({FUNCTION_TYPE}):
        dlq = function.props.get("deadLetterConfig")
        target = dlq.get("targetArn") if isinstance(dlq, dict) else dlq
        if is_unknown(dlq) or is_unknown(target):
            yield Finding(
                f"{function.label()} has a dead-letter target unknown until apply.", function, True
            )
            continue
        if target:
            continue
        proved = links.proved(
            function, [_has_failure_destination(c) for c in links.linked_to(function)]
        )
        if proved is True:
            continue
        if proved is None:
            yield Finding(
                f"{function.label()}: whether failed async invocations reach a destination is "
                "unknown until apply (an invoke config's function_name or destination is).",
                function,
                True,
            )
            continue
        yield Finding(
            f"{function.label()} drops asynchronous invocations that fail after Lambda's two "
            "retries (no dead_letter_config, no on-failure destination). "
            + FAILURE_DESTINATION.remediation,
            function,
        )
