"""The text report, shaped like the ``Policies:`` section of ``pulumi preview``."""

from __future__ import annotations

from collections import defaultdict

from ..report import Report, Violation


def summary_line(report: Report) -> str:
    """One line: counts and the verdict."""
    mandatory, advisory = len(report.mandatory), len(report.advisory)
    verdict = "FAILED" if report.exit_code else "PASSED"
    return (
        f"{verdict}: {len(report.resources)} resources checked by "
        f"{', '.join(f'{n}@v{v}' for n, v in report.policy_packs) or 'no policy pack'}; "
        f"{mandatory} mandatory and {advisory} advisory violation"
        f"{'' if advisory == 1 else 's'}."
    )


def _message_body(violation: Violation, description: str) -> list[str]:
    """The pack prefixes each message with the policy description; show only the rest."""
    message = violation.message
    if description and message.startswith(description):
        message = message[len(description) :].lstrip("\n")
    return [line for line in message.splitlines() if line.strip()]


def render_text(report: Report) -> str:
    lines = ["Policies:"]
    descriptions = {(p.policy_pack, p.name): p.description for p in report.policies}
    for pack, version in report.policy_packs:
        in_pack = [v for v in report.violations if v.policy_pack == pack]
        mark = (
            "❌"
            if any(v.enforcement_level == "mandatory" for v in in_pack)
            else ("⚠️ " if in_pack else "✅")
        )
        lines.append(f"    {mark} {pack}@v{version}")
        grouped: dict[tuple[str, str], list[Violation]] = defaultdict(list)
        for violation in in_pack:
            grouped[(violation.enforcement_level, violation.policy)].append(violation)
        order = sorted(grouped, key=lambda k: (k[0] != "mandatory", k[1]))
        for level, policy in order:
            description = descriptions.get((pack, policy), "")
            lines.append(f"        - [{level}]  {policy}")
            if description:
                lines.append(f"          {description}")
            for violation in grouped[(level, policy)]:
                resource = report.resource(violation.urn)
                where = ""
                if resource is not None and resource.source_position is not None:
                    position = resource.source_position
                    where = f"  ({_relative(position.path, report.program_dir)}:{position.line})"
                lines.append(f"            {violation.urn or '(stack)'}{where}")
                lines.extend(
                    f"              {line}" for line in _message_body(violation, description)
                )
    if report.not_applicable:
        by_policy: dict[str, list[str]] = defaultdict(list)
        for item in report.not_applicable:
            by_policy[item.policy].append(item.reason)
        lines.append("")
        lines.append(f"Not applicable ({len(report.not_applicable)}; --format json lists each):")
        for policy, reasons in sorted(by_policy.items()):
            example = next((r for r in reasons if r), "")
            suffix = f", e.g. {example}" if example else ""
            lines.append(f"    - {policy}: {len(reasons)} resource(s){suffix}")
    if report.notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"    - {note}" for note in report.notes)
    lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _relative(path: str, base: str) -> str:
    if base and path.startswith(base.rstrip("/") + "/"):
        return path[len(base.rstrip("/")) + 1 :]
    return path
