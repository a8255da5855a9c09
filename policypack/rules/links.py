"""Links a setting resource (versioning, encryption, ACL, policy...) to the resource it targets."""

from __future__ import annotations

from collections.abc import Iterable

from .framework import Resource
from .values import is_unknown


def targets(
    setting: Resource, prop: str, candidates: Iterable[Resource], name_prop: str
) -> list[Resource]:
    """Resources among `candidates` that `setting.props[prop]` refers to.

    The engine's property dependencies are authoritative: a setting whose `prop` depends on one of
    the candidates targets exactly those. Without such a dependency, a literal name equal to a
    candidate's explicit `name_prop` (e.g. a bucket's `bucket`) links them.
    """
    pool = list(candidates)
    by_urn = {c.urn: c for c in pool}
    linked = [by_urn[u] for u in setting.property_dependencies.get(prop, []) if u in by_urn]
    if linked:
        return linked
    value = setting.props.get(prop)
    if not isinstance(value, str):
        return []
    return [
        c for c in pool if isinstance(c.props.get(name_prop), str) and c.props[name_prop] == value
    ]


def is_floating(
    setting: Resource, prop: str, candidates: Iterable[Resource], name_prop: str
) -> bool:
    """True when the target is unknown before apply and no dependency says which resource it is."""
    return is_unknown(setting.props.get(prop)) and not targets(setting, prop, candidates, name_prop)
