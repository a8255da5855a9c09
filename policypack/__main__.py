"""Entry point the Pulumi CLI (and the offline gate) runs: assemble and serve the policy pack."""

from pulumi_policy import EnforcementLevel, PolicyPack
from rules import all_policies
from rules.analyzer import install_guarded_analyzer

PACK_NAME = "serverless-s3-lambda-guard"

install_guarded_analyzer()
PolicyPack(
    name=PACK_NAME,
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=all_policies(),
    description="Scoped IAM, locked-down S3, no public resource policies, supported Lambda "
    "runtimes and required tags.",
    provider="aws",
)
