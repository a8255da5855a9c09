"""The text report, shaped like the ``Policies:`` section of ``pulumi preview``.

Warnings (the run is not what was asked for, e.g. no stack file) come first; each policy's
description is shown once above its violations; disabled policies and exempted findings have
their own sections; the not-applicable answers are summed up in one line.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..report import Report, Violation, message_body


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def summary_line(report: Report) -> str:
    """One line: counts and the verdict, and what was not checked."""
    mandatory, advisory = len(report.mandatory), len(report.advisory)
    verdict = "FAILED" if report.exit_code else "PASSED"
    packs = ", ".join(f"{n}@v{v}" for n, v in report.policy_packs) or "no policy pack"
    checked = (
        f"nothing was checked, every policy of {packs} is disabled "
        f"({_plural(len(report.resources), 'resource', 'resources')} registered)"
        if _all_disabled(report)
        else f"{_plural(len(report.resources), 'resource', 'resources')} checked by {packs}"
    )
    line = (
        f"{verdict}: {checked}; "
        f"{mandatory} mandatory and {advisory} advisory violation"
        f"{'' if advisory == 1 else 's'}"
    )
    if report.disabled:
        line += f"; {_plural(len(report.disabled), 'policy', 'policies')} disabled"
    if report.exempted:
        line += f"; {_plural(len(report.exempted), 'finding', 'findings')} exempted"
    return line + "."


def _all_disabled(report: Report, pack: str | None = None) -> bool:
    """Whether the config disabled every policy (of ``pack``, or of every pack)."""
    policies = [p for p in report.policies if pack is None or p.policy_pack == pack]
    return bool(policies) and all(p.enforcement_level == "disabled" for p in policies)


def _violation_lines(violation: Violation, description: str) -> list[str]:
    # A stack-level finding is located on the project file with no line (gate/locations.py).
    at = f"{violation.file}:{violation.line}" if violation.line else violation.file
    where = f"  ({at})" if at else ""
    lines = [f"            {violation.urn or '(stack)'}{where}"]
    body = message_body(violation.message, description)
    lines.extend(f"              {line}" for line in body.splitlines() if line.strip())
    for related in violation.related:
        at = f"{related.file}:{related.line}" if related.line else related.file
        lines.append(f"              see: {related.label or related.urn} ({at})")
    return lines


def render_text(report: Report) -> str:
    lines = [f"⚠️  {warning}" for warning in report.warnings]
    if lines:
        lines.append("")
    lines.append("Policies:")
    descriptions = {(p.policy_pack, p.name): p.description for p in report.policies}
    for pack, version in report.policy_packs:
        in_pack = [v for v in report.violations if v.policy_pack == pack]
        mark = (
            "❌"
            if any(v.enforcement_level == "mandatory" for v in in_pack)
            else ("⚠️ " if in_pack else "✅")
        )
        if _all_disabled(report, pack):
            mark = "⚠️ "
        suffix = (
            " (every policy disabled: nothing was checked)" if mark == "⚠️ " and not in_pack else ""
        )
        lines.append(f"    {mark} {pack}@v{version}{suffix}")
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
                lines.extend(_violation_lines(violation, description))
    if report.disabled:
        lines.append("")
        names = ", ".join(p.name for p in report.disabled)
        lines.append(f"Disabled ({len(report.disabled)}; nothing was checked for these): {names}")
    if report.exempted:
        lines.append("")
        lines.append(f"Exempted ({len(report.exempted)}; found, then waived by the pack config):")
        for exempted in report.exempted:
            at = report.declaration(exempted.urn)
            where = f"  ({at.file}:{at.line})" if at else ""
            lines.append(
                f"    - {exempted.policy} on {exempted.urn or '(stack)'}: {exempted.reason}{where}"
            )
    inapplicable = report.inapplicable
    if inapplicable:
        counts = Counter(item.policy for item in inapplicable)
        per_policy = ", ".join(f"{policy} {n}" for policy, n in sorted(counts.items()))
        lines.append("")
        lines.append(
            f"Not applicable: {len(inapplicable)} (policy, resource) pairs ({per_policy}); "
            "--format json lists each."
        )
    if report.notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(f"    - {note}" for note in report.notes)
    lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
