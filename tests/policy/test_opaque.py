"""`no-opaque-resources` through the gate: resources that run code or deploy what the pack cannot
read are reported, with what they run; inert ones and components are not; an exemption accepts a
reviewed one. The package data is checked against the installed provider SDKs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pulumi_aws
import pytest

from gate.errors import PolicyConfigError
from policypack.rules import opaque
from policypack.rules.sdk_classes import TOKEN

from .conftest import flagged, preview

POLICY = "no-opaque-resources"
REPORTED = {
    "local-command",
    "remote-command",
    "unknown-command",
    "python-dynamic",
    "named-dynamic",
    "nodejs-dynamic",
    "lambda-invocation",
    "ssm-association",
    "unknown-package",
}
NOT_REPORTED = {
    "random-pet",
    "tls-key",
    "plain-queue",
    "component",
    "component-queue",
    "fn-role",
}


@pytest.fixture(scope="module")
def default():
    return preview("opaque")


@pytest.fixture(scope="module")
def fresh():
    return preview("opaque", fresh=True)


def test_code_running_and_unknown_package_resources_are_mandatory(default, fresh):
    for report in (default, fresh):
        found = flagged(report, POLICY, level="mandatory")
        assert set(found) == REPORTED
        assert NOT_REPORTED.isdisjoint(flagged(report, POLICY))


def test_messages_quote_what_runs(default, fresh):
    found = {name: messages[0] for name, messages in flagged(default, POLICY).items()}
    assert "Status=Suspended" in found["local-command"]
    assert "delete 'echo bye'" in found["local-command"]
    assert "on host '10.0.0.12'" in found["remote-command"]
    assert "document 'AWS-RunShellScript' with commands" in found["ssm-association"]
    assert "function 'ops-admin-tasks'" in found["lambda-invocation"]
    assert '"action": "suspend-versioning"' in found["lambda-invocation"]
    for name in ("python-dynamic", "named-dynamic", "nodejs-dynamic"):
        assert "inputs: bucket" in found[name]
        assert "strips the serialized `__provider`" in found[name]
    assert "package 'acme'" in found["unknown-package"]
    assert "arn:aws:sqs" in found["unknown-command"]
    assert "<unknown until apply>" in flagged(fresh, POLICY)["unknown-command"][0]


def test_dynamic_resources_are_identified_by_type_token(default):
    types = {v.urn.split("::")[-2] for v in default.violations if v.policy == POLICY}
    assert {"pulumi-python:dynamic:Resource", "pulumi-python:dynamic/ops:Suspender"} <= types
    assert "pulumi-nodejs:dynamic:Resource" in types


def test_an_exemption_accepts_a_reviewed_resource():
    expires = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    exemption = {
        "policy": POLICY,
        "resource": "local-command",
        "reason": "Reviewed: only prints a message (SEC-42)",
        "expires": expires,
    }
    too_wide = {**exemption, "resource": "[!z]*"}
    narrow = {**exemption, "resource": "zz-*"}
    # A bad exemption makes the whole config invalid: the gate exits 2 (PolicyConfigError) and
    # keeps the report, in which the pack still applied the valid exemptions.
    with pytest.raises(PolicyConfigError) as caught:
        preview("opaque", config={"pack-settings": {"exemptions": [exemption, too_wide, narrow]}})
    assert "exemption #2 resource '[!z]*' is too wide" in str(caught.value)
    assert "exemption #3" not in str(caught.value)
    report = caught.value.report
    assert set(flagged(report, POLICY)) == REPORTED - {"local-command"}
    waived = [n.reason for n in report.not_applicable if n.policy == POLICY]
    assert any("exemption #1" in reason and "SEC-42" in reason for reason in waived)
    accepted = preview("opaque", config={"pack-settings": {"exemptions": [exemption, narrow]}})
    assert set(flagged(accepted, POLICY)) == REPORTED - {"local-command"}


def _installed_provider_packages() -> dict[str, Path]:
    """Package name -> SDK directory, for every installed Pulumi resource-provider SDK."""
    site = Path(pulumi_aws.__file__).resolve().parents[1]
    found = {}
    for plugin in site.glob("*/pulumi-plugin.json"):
        data = json.loads(plugin.read_text(encoding="utf-8"))
        if data.get("resource"):
            found[data["name"]] = plugin.parent
    return found


def test_every_installed_provider_package_is_classified():
    packages, _ = opaque.capabilities()
    installed = _installed_provider_packages()
    assert {"aws", "command", "random", "tls"} <= set(installed)
    assert set(installed) - set(packages) == set(), "classify these packages in packages.json"


def test_classes_follow_what_the_sdks_declare():
    packages, aws_types = opaque.capabilities()
    installed = _installed_provider_packages()
    # Every resource of the command package runs something: it is all `runs-code`.
    tokens = {
        m.group(1)
        for path in installed["command"].rglob("*.py")
        for m in TOKEN.finditer(path.read_text(encoding="utf-8"))
    }
    assert tokens >= {"command:local:Command", "command:remote:Command"}
    assert {opaque.capability_of(t).cls for t in tokens} == {"runs-code"}
    assert packages["random"].cls == packages["tls"].cls == "inert"
    # Every pulumi-aws type named in the data exists in the SDK.
    aws_tokens = {
        m.group(1)
        for path in installed["aws"].rglob("*.py")
        for m in TOKEN.finditer(path.read_text(encoding="utf-8"))
    }
    assert set(aws_types) - aws_tokens == set()
    assert all(entry.reason for entry in (*packages.values(), *aws_types.values()))
