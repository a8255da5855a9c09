"""`required-tags` through the gate: invisible values are empty, tags that are not resource tags
are not applicable, and default tags reach only types with a tagsAll."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from policypack.rules.taggable import taggable_types
from policypack.rules.tags import blank

from .conftest import flagged, preview

POLICY = "required-tags"
INVISIBLE = {
    "owner-hangul-filler",
    "owner-hangul-choseong-jungseong",
    "owner-halfwidth-hangul-filler",
    "owner-braille-blank",
    "owner-variation-selector",
    "owner-grapheme-joiner",
    "owner-tag-characters",
    "owner-line-separator",
    "owner-ideographic-space",
    "owner-soft-hyphen",
    "owner-lone-combining-mark",
}


@pytest.fixture(scope="module")
def report():
    return preview("tags")


def test_invisible_values_are_empty(report):
    found = flagged(report, POLICY, level="mandatory")
    for name in INVISIBLE | {"default-owner-invisible"}:
        assert name in found, name
        assert "empty value(s) for Owner" in found[name][0], found[name]


def test_visible_values_in_any_script_pass(report):
    found = flagged(report, POLICY)
    assert {"owner-hangul-letters", "owner-combining-accent", "owner-filler-and-letter"}.isdisjoint(
        found
    )


def test_tags_that_select_other_resources_are_not_applicable(report):
    assert "inspector-selector" not in flagged(report, POLICY)
    reasons = {
        n.urn.rsplit("::", 1)[-1]: n.reason for n in report.not_applicable if n.policy == POLICY
    }
    assert "not resource tagging" in reasons["inspector-selector"]
    assert taggable_types()["aws:inspector/resourceGroup:ResourceGroup"] == "not-tagging"


def test_default_tags_never_reach_tag_blocks(report):
    found = flagged(report, POLICY, level="mandatory")
    assert "missing tag(s) Project, Environment, ManagedBy" in found["asg-owner-only"][0]
    assert "asg-all-tags" not in found
    assert taggable_types()["aws:autoscaling/group:Group"] == "blocks"


def test_nothing_else_is_flagged(report):
    assert set(flagged(report, POLICY)) == INVISIBLE | {"default-owner-invisible", "asg-owner-only"}


# Other_Default_Ignorable_Code_Point, Unicode 14 PropList.txt (assigned and unassigned alike).
OTHER_DEFAULT_IGNORABLE = [
    0x034F,
    0x115F,
    0x1160,
    0x17B4,
    0x17B5,
    0x2065,
    0x3164,
    0xFFA0,
    *range(0xFFF0, 0xFFF9),
    0xE0000,
    *range(0xE0002, 0xE0020),
    *range(0xE0080, 0xE0100),
    *range(0xE01F0, 0xE1000),
]


def test_every_default_ignorable_code_point_is_blank():
    """Default_Ignorable_Code_Point (DerivedCoreProperties.txt): Cf + variation selectors +
    Other_Default_Ignorable_Code_Point; none of them makes a value visible."""
    derived = [
        cp
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) == "Cf"
        or unicodedata.name(chr(cp), "").startswith("VARIATION SELECTOR")
    ]
    for cp in derived + OTHER_DEFAULT_IGNORABLE:
        assert blank(chr(cp) * 2), hex(cp)
    assert not blank("Owner") and not blank("\u3164x") and not blank("\u2422")  # BLANK SYMBOL ␢
