"""iam-scoped-resources-joined: name prefixes split across a principal's documents (two
RolePolicies, an inline and an attached policy, a user's and its group's) are judged together,
in a preview and a fresh one; halves held by different principals are not."""

from __future__ import annotations

import pytest

from .conftest import flagged, preview

JOINED = "iam-scoped-resources-joined"
SPLIT = {
    "split-role-policies": ("split-first-half", "split-second-half"),
    "split-inline-and-attached": ("Role 'split-inline-and-attached'", "second-half-policy"),
    "split-user": ("user-second-half", "group-first-half"),
}


@pytest.fixture(scope="module", params=[False, True], ids=["preview", "fresh"])
def found(request) -> dict[str, list[str]]:
    return flagged(preview("iam_joined", fresh=request.param), JOINED, level="mandatory")


@pytest.mark.parametrize("principal", sorted(SPLIT))
def test_split_prefixes_are_reported_on_the_principal(found, principal):
    assert principal in found, f"{JOINED} let {principal!r} through"
    (message,) = found[principal]
    assert "together cover every s3 resource" in message
    assert all(source in message for source in SPLIT[principal]), message


def test_nothing_else_is_reported(found):
    assert set(found) == set(SPLIT)


def test_each_half_alone_passes_iam_scoped_resources():
    report = preview("iam_joined")
    assert flagged(report, "iam-scoped-resources") == {}
