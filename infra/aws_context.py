"""Where the stack deploys (partition, region, account) and the exact ARNs derived from it.

ARNs are built from known names rather than read from resource outputs wherever AWS's ARN
format allows it, so that the IAM documents are fully known at preview time, including the
first preview, and the policy pack can check every statement before anything exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_aws as aws

POWERTOOLS_LAYER_ACCOUNT = "017000801446"  # publisher of the public Powertools layers


class UnsupportedPartitionError(ValueError):
    """The stack cannot be built in this AWS partition."""


@dataclass(frozen=True)
class AwsContext:
    """The deploying account, its partition and the stack's region."""

    partition: str
    region: str
    account_id: str

    @classmethod
    def lookup(cls, region: str) -> AwsContext:
        """Ask the provider who we are (getCallerIdentity, getPartition)."""
        identity = aws.get_caller_identity()
        partition = aws.get_partition()
        return cls(partition=partition.partition, region=region, account_id=identity.account_id)

    def bucket_arn(self, bucket: str) -> str:
        return f"arn:{self.partition}:s3:::{bucket}"

    def objects_arn(self, bucket: str) -> str:
        return f"arn:{self.partition}:s3:::{bucket}/*"

    def log_group_arn(self, log_group: str) -> str:
        return f"arn:{self.partition}:logs:{self.region}:{self.account_id}:log-group:{log_group}"

    def log_streams_arn(self, log_group: str) -> str:
        """Every log stream of one log group (what CreateLogStream/PutLogEvents act on)."""
        return f"{self.log_group_arn(log_group)}:*"

    def queue_arn(self, queue: str) -> str:
        return f"arn:{self.partition}:sqs:{self.region}:{self.account_id}:{queue}"

    def powertools_layer_arn(self, architecture: str, version: int) -> str:
        """Powertools for AWS Lambda (Python) v3 public layer for python3.13.

        Raises UnsupportedPartitionError outside the commercial partition: account 017000801446
        publishes the layer there only (China and GovCloud use other accounts and versions).
        """
        if self.partition != "aws":
            raise UnsupportedPartitionError(
                f"the Powertools layer account {POWERTOOLS_LAYER_ACCOUNT} publishes only in the "
                f"'aws' partition, but these credentials deploy to '{self.partition}' "
                f"(region {self.region}); deploy with commercial-partition credentials"
            )
        return (
            f"arn:{self.partition}:lambda:{self.region}:{POWERTOOLS_LAYER_ACCOUNT}:layer:"
            f"AWSLambdaPowertoolsPythonV3-python313-{architecture}:{version}"
        )
