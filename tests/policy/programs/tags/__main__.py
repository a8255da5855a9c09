"""Tag values that render as nothing, and types whose tags are not resource tags; each resource's
name says what it proves (see test_tags.py). The stack's aws:defaultTags lack Owner."""

import pulumi
import pulumi_aws as aws

# Owner values that render as nothing: each is an empty tag.
INVISIBLE = {
    "owner-hangul-filler": "\u3164",
    "owner-hangul-choseong-jungseong": "\u115f\u1160",
    "owner-halfwidth-hangul-filler": "\uffa0\uffa0",
    "owner-braille-blank": "\u2800",
    "owner-variation-selector": "\ufe0f",
    "owner-grapheme-joiner": "\u034f",
    "owner-tag-characters": "\U000e0041\U000e0042",
    "owner-line-separator": "\u2028",
    "owner-ideographic-space": "\u3000",
    "owner-soft-hyphen": "\u00ad",
    "owner-lone-combining-mark": "\u0301",
}
for name, value in INVISIBLE.items():
    aws.sqs.Queue(name, tags={"Owner": value})

# Visible values in other scripts, with combining marks on a base letter: compliant.
aws.sqs.Queue("owner-hangul-letters", tags={"Owner": "플랫폼"})
aws.sqs.Queue("owner-combining-accent", tags={"Owner": "e\u0301quipe"})
aws.sqs.Queue("owner-filler-and-letter", tags={"Owner": "\u3164ops"})

# A provider whose default Owner is invisible credits nothing.
invisible_default = aws.Provider(
    "invisible-default",
    region="us-east-1",
    default_tags={
        "tags": {"Project": "p", "Environment": "e", "Owner": "\u3164", "ManagedBy": "m"}
    },
)
aws.sqs.Queue("default-owner-invisible", opts=pulumi.ResourceOptions(provider=invisible_default))

# Tags that select other resources are not this resource's tags: not applicable.
aws.inspector.ResourceGroup("inspector-selector", tags={"Role": "web"})

# Tag blocks: resource tags, but no tagsAll, so the provider's default tags never reach them.
TEMPLATE = {"id": "lt-0123456789abcdef0", "version": "$Latest"}
aws.autoscaling.Group(
    "asg-owner-only",
    min_size=0,
    max_size=1,
    availability_zones=["us-east-1a"],
    launch_template=TEMPLATE,
    tags=[{"key": "Owner", "value": "platform", "propagate_at_launch": True}],
)
aws.autoscaling.Group(
    "asg-all-tags",
    min_size=0,
    max_size=1,
    availability_zones=["us-east-1a"],
    launch_template=TEMPLATE,
    tags=[
        {"key": key, "value": value, "propagate_at_launch": True}
        for key, value in {
            "Project": "policy-tests",
            "Environment": "test",
            "Owner": "platform",
            "ManagedBy": "pulumi",
        }.items()
    ],
)
