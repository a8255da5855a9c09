"""Which pulumi-aws inputs hold an identity-policy document or a policy ARN, as a table generated
from the SDK (as `taggable.py` does for tags), so no attachment type is missed by a hand list.

- Documents: every input the SDK types as a policy document (`PolicyDocumentArgs`) or names an
  inline policy. Those of the `iam` and `ssoadmin` modules are identity policies (IAM's only
  resource policy is a role's trust policy, `assume_role_policy`); the others are resource
  policies of their service (bucket, queue, repository...) and are judged elsewhere.
- Policy ARNs: every input named `*policy_arn` or `*policy_arns`. Those of the identity modules
  attach an IAM policy to a principal or permission set ("grants"); those of other modules
  ("service") may take an IAM policy (QuickSight assignments) or another service's policy (Batch
  scheduling, Network Firewall, Resilience Hub, EKS access policies), so only a known IAM policy
  ARN (`arn:<partition>:iam::<account>:policy/...`) in them is judged; a few apply the policy as
  a limit on what a session may do ("limits", `_LIMITS`, from each input's SDK documentation).

Regenerate after upgrading pulumi-aws: `python -m rules.iam_inputs` in policypack/ (a test fails
until the table matches the installed SDK).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Final

from .sdk_classes import camel, resource_classes

TABLE_PATH: Final = Path(__file__).with_name("iam_inputs.json")

IDENTITY_MODULES: Final = ("iam", "ssoadmin")
TRUST_INPUT: Final = "assumeRolePolicy"
# Policy ARN inputs that narrow a session instead of granting (SDK docs of each input).
_LIMITS: Final = {
    # "IAM policies applied as channel guardrails" (narrow what the channel role may do).
    ("aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "guardrailPolicyArns"),
    ("aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration", "guardrailPolicyArns"),
    # "The Amazon Resource Name (ARN) for the session policy".
    ("aws:emr/studioSessionMapping:StudioSessionMapping", "sessionPolicyArn"),
    # "A list of managed policy ARNs that apply to the vended session credentials."
    ("aws:rolesanywhere/profile:Profile", "managedPolicyArns"),
}

_INPUT = re.compile(r"^\s+(\w+): (pulumi\.Input.*?)= None,?$", re.M)
_POLICY_ARN = re.compile(r"(?:^|_)policy_arns?$")


def _module(token: str) -> str:
    return token.split(":")[1].split("/", maxsplit=1)[0]


def generate_from_sdk() -> dict[str, dict[str, dict[str, str]]]:
    """{"documents": {token: {input: "identity"|"trust"|"resource"}},
    "policyArns": {token: {input: "grants"|"service"|"limits"}}}; an input holding a list of inline
    policies is named `<input>[].policy`."""
    documents: dict[str, dict[str, str]] = {}
    arns: dict[str, dict[str, str]] = {}
    for resource in resource_classes():
        type_token = resource.token
        for match in _INPUT.finditer(resource.inputs):
            name, annotation = match.groups()
            prop = camel(name)
            if "PolicyDocumentArgs" in annotation or "inline_polic" in name:
                if "Sequence[" in annotation:
                    prop = f"{prop}[].policy"
                if prop == TRUST_INPUT:
                    kind = "trust"
                elif _module(type_token) in IDENTITY_MODULES:
                    kind = "identity"
                else:
                    kind = "resource"
                documents.setdefault(type_token, {})[prop] = kind
            elif _POLICY_ARN.search(name):
                if (type_token, prop) in _LIMITS:
                    kind = "limits"
                elif _module(type_token) in IDENTITY_MODULES:
                    kind = "grants"
                else:
                    kind = "service"
                arns.setdefault(type_token, {})[prop] = kind
    return {
        "documents": dict(sorted(documents.items())),
        "policyArns": dict(sorted(arns.items())),
    }


@functools.cache
def _table() -> dict[str, dict[str, dict[str, str]]]:
    return json.loads(TABLE_PATH.read_text(encoding="utf-8"))


@functools.cache
def identity_document_inputs() -> dict[str, tuple[str, ...]]:
    """Type token -> its inputs holding identity-policy documents (`inlinePolicies[].policy`
    names the `policy` of each item of a list)."""
    return {
        token: tuple(p for p, kind in props.items() if kind == "identity")
        for token, props in _table()["documents"].items()
        if "identity" in props.values()
    }


@functools.cache
def granting_policy_arn_inputs() -> dict[str, dict[str, str]]:
    """Type token -> {input: "grants" | "service"} for inputs that attach policies by ARN as grants
    ("service": the input may also take another service's policy ARN, so only known IAM policy
    ARNs in it are judged)."""
    return {
        token: {p: kind for p, kind in props.items() if kind != "limits"}
        for token, props in _table()["policyArns"].items()
        if set(props.values()) - {"limits"}
    }


def main() -> int:
    table = generate_from_sdk()
    TABLE_PATH.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    print(
        f"wrote {len(table['documents'])} document and {len(table['policyArns'])} policy-ARN "
        f"types to {TABLE_PATH}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
