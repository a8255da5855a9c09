"""Links a setting resource (versioning, encryption, ACL, policy...) to the resource it targets."""

from __future__ import annotations

from collections.abc import Iterable

from .framework import Resource
from .values import is_unknown


def _dependency_targets(setting: Resource, prop: str, pool: list[Resource]) -> list[Resource]:
    by_urn = {c.urn: c for c in pool}
    return [by_urn[u] for u in setting.property_dependencies.get(prop, []) if u in by_urn]


def targets(
    setting: Resource,
    prop: str,
    candidates: Iterable[Resource],
    name_prop: str,
    *,
    value_is_name: bool = False,
) -> list[Resource]:
    """The resource among `candidates` that `setting.props[prop]` refers to (at most one).

    The engine's property dependencies are authoritative, but only when `prop` depends on exactly
    one candidate: `bucket=Output.all(a.id, b.id).apply(...)` configures one bucket, not both, so a
    dependency on several is ambiguous and links none (see `ambiguous`). With `value_is_name` (the
    input must be the target's name, as a bucket setting's `bucket` is), a known value that
    contradicts the candidate's known name (`bucket=a.id.apply(lambda _: "other")`) does not link
    either. Without a dependency, a literal name equal to a candidate's explicit `name_prop`
    (e.g. a bucket's `bucket`) links them.
    """
    pool = list(candidates)
    value = setting.props.get(prop)
    linked = _dependency_targets(setting, prop, pool)
    if len(linked) > 1:
        return []
    if linked:
        name = linked[0].props.get(name_prop)
        if value_is_name and isinstance(value, str) and isinstance(name, str) and value != name:
            return []
        return linked
    if not isinstance(value, str):
        return []
    named = [c for c in pool if c.props.get(name_prop) == value]
    return named[:1] if len(named) == 1 else []


def ambiguous(setting: Resource, prop: str, candidates: Iterable[Resource]) -> list[Resource]:
    """The candidates `setting.props[prop]` depends on when it depends on more than one."""
    linked = _dependency_targets(setting, prop, list(candidates))
    return linked if len(linked) > 1 else []


def is_floating(
    setting: Resource,
    prop: str,
    candidates: Iterable[Resource],
    name_prop: str,
    *,
    value_is_name: bool = False,
) -> bool:
    """True when the target is unknown before apply and no dependency says which resource it is."""
    pool = list(candidates)
    return (
        is_unknown(setting.props.get(prop))
        and not targets(setting, prop, pool, name_prop, value_is_name=value_is_name)
        and not ambiguous(setting, prop, pool)
    )
