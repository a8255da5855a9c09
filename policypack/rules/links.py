"""Links setting resources (versioning, encryption, ACL, policy...) to the resources they target.

A `Links` is built once per stack and kind of link: each setting is resolved through a URN map and
a name map of the candidates, so linking n settings to m candidates costs O(n + m), where asking
"which settings link to this bucket?" of every pair would cost O(n * m) or worse.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from .framework import Resource, Stack
from .values import is_unknown


@dataclass(frozen=True)
class Link:
    """Where one setting points among the candidates."""

    setting: Resource
    # The candidate it configures: at most one (see `Links`).
    target: Resource | None
    # The candidates its input depends on when it depends on more than one (it configures one
    # of them, which one is unknown: it links none).
    ambiguous: tuple[Resource, ...]
    # Its input is unknown before apply and nothing says which candidate it is.
    floating: bool
    # Its input is unknown before apply and derived from this candidate alone, which it may or
    # may not be (see `Links`): it links none, yet this candidate cannot be judged without it.
    unverified: Resource | None = None


class Links:
    """How `settings` link to `candidates` through the input `prop`.

    The engine's property dependencies say which resources an input was computed from, never how:
    `bucket=a.id` and `bucket=a.id.apply(lambda _: "other")` both depend on `a` alone. The SDK
    records the resources an `Output` came from and `apply` carries them over unchanged
    (pulumi/pulumi `sdk/python/lib/pulumi/output.py`, `Output.apply`), and the engine sends an
    unknown as a bare sentinel with no provenance (`rpc.go`, `MarshalPropertyValue`). So:

    - A dependency on several candidates is ambiguous and links none:
      `bucket=Output.all(a.id, b.id).apply(...)` configures one bucket, not both.
    - A dependency on exactly one candidate links it only when the known value names that
      candidate (`name_of(value)` equals its known `name_prop`): "exactly that resource's
      id/name output" is proved by equality, the one thing the wire carries. A known value
      naming another candidate links that one; a value that is unknown (or a candidate name that
      is) leaves the setting `unverified` for that candidate: the pack cannot tell `a.id` from a
      transformation of it before apply. A bucket's name (`a.bucket`) is known in preview, its
      id is not before the first create, so `bucket=a.bucket` links verifiably in a first
      preview.
    - Without a dependency, a known value naming exactly one candidate links them; an unknown
      value depending on no candidate floats.

    `name_of` turns the input into the name it refers to (None: it names none), e.g. a Lambda
    function's name out of its ARN; by default the input is the name itself (a bucket setting's
    `bucket`: an S3 bucket's id is its name).
    """

    def __init__(
        self,
        settings: Iterable[Resource],
        prop: str,
        candidates: Iterable[Resource],
        name_prop: str,
        *,
        name_of: Callable[[str], str | None] = lambda value: value,
    ) -> None:
        self._prop = prop
        self._name_prop = name_prop
        self._name_of = name_of
        self._by_urn: dict[str, Resource] = {}
        self._by_name: dict[str, list[Resource]] = {}
        for candidate in candidates:
            self._by_urn[candidate.urn] = candidate
            name = candidate.props.get(name_prop)
            if isinstance(name, str):
                self._by_name.setdefault(name, []).append(candidate)
        self.links = [self._link(setting) for setting in settings]
        self._linked: dict[str, list[Resource]] = {}
        self._shared: dict[str, list[Link]] = {}
        self._unverified: dict[str, list[Resource]] = {}
        for link in self.links:
            if link.target is not None:
                self._linked.setdefault(link.target.urn, []).append(link.setting)
            if link.unverified is not None:
                self._unverified.setdefault(link.unverified.urn, []).append(link.setting)
            for urn in dict.fromkeys(c.urn for c in link.ambiguous):
                self._shared.setdefault(urn, []).append(link)
        self.floating = [link.setting for link in self.links if link.floating]

    def _link(self, setting: Resource) -> Link:
        value = setting.props.get(self._prop)
        depended = [
            self._by_urn[u]
            for u in setting.property_dependencies.get(self._prop, [])
            if u in self._by_urn
        ]
        if len(depended) > 1:
            return Link(setting, None, tuple(depended), False)
        named_value = self._name_of(value) if isinstance(value, str) else None
        if depended:
            name = depended[0].props.get(self._name_prop)
            if not isinstance(value, str) or not isinstance(name, str):
                return Link(setting, None, (), False, unverified=depended[0])
            if named_value == name:
                return Link(setting, depended[0], (), False)
        target: Resource | None = None
        if named_value is not None:
            named = self._by_name.get(named_value, [])
            target = named[0] if len(named) == 1 else None
        return Link(setting, target, (), is_unknown(value) and target is None)

    def linked_to(self, target: Resource) -> list[Resource]:
        """The settings that configure `target` (matched by URN), in stack order."""
        return self._linked.get(target.urn, [])

    def unverified_for(self, target: Resource) -> list[Resource]:
        """The settings derived from `target` alone whose value cannot be compared before apply."""
        return self._unverified.get(target.urn, [])

    def proved(self, target: Resource, verdicts: Iterable[bool | None]) -> bool | None:
        """Whether `target` complies, from the verdicts on it and on the settings linked to it
        (None: unknown until apply): True when one verdict is; otherwise None when one verdict is
        unknown or a setting that may configure `target` could not be linked to it (floating, or
        unverified for it); otherwise False."""
        verdicts = list(verdicts)
        if any(v is True for v in verdicts):
            return True
        if any(v is None for v in verdicts) or self.floating or self.unverified_for(target):
            return None
        return False

    def shared_with(self, target: Resource) -> list[Link]:
        """The settings whose input depends on `target` among several candidates."""
        return self._shared.get(target.urn, [])


def links_in(
    stack: Stack,
    setting_types: Collection[str],
    prop: str,
    candidate_types: Collection[str],
    name_prop: str,
    *,
    name_of: Callable[[str], str | None] | None = None,
) -> Links:
    """The `Links` of the stack's `setting_types` to its `candidate_types`, built once per stack."""
    key = ("links", frozenset(setting_types), prop, frozenset(candidate_types), name_prop)
    return stack.index(
        (*key, name_of),
        lambda: Links(
            stack.of_types(setting_types),
            prop,
            stack.of_types(candidate_types),
            name_prop,
            **({"name_of": name_of} if name_of is not None else {}),
        ),
    )
