"""Creates what the program registered (on Pulumi's mock engine) in moto's emulated AWS.

A stand-in for `pulumi up` where no cloud exists: each registration is turned into the boto3
calls the AWS provider would make, in registration order (which respects dependencies). AWS's
own validation, as moto emulates it, then judges our inputs (policy grammar, notification and
permission wiring), and the deployed-stack checks can run against the result. An aws:* type
this module does not know fails loudly, so a new resource cannot slip past.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import boto3
from moto.awslambda import models

from tests.unit.harness import MOCK_KMS_KEY_ID, Program, Registered


def accept_public_layers(monkeypatch: Any) -> None:
    """moto looks layers up in the function's own account only; the Powertools layer is
    another account's public layer, which AWS resolves itself. Report the ARN as given."""
    monkeypatch.setattr(
        models.LambdaFunction,
        "_get_layers_data",
        lambda _self, arns: [{"Arn": arn, "CodeSize": 0} for arn in arns],
    )


class EmulatedStack:
    """Deploys registrations into the moto backend behind `session`."""

    def __init__(self, session: boto3.Session) -> None:
        self.session = session
        self.region = session.region_name
        self._real: dict[str, str] = {}  # mock-engine value -> emulated AWS value
        self._handlers: dict[str, Callable[[Registered, dict[str, Any]], None]] = {
            "aws:kms/key:Key": self._key,
            "aws:kms/alias:Alias": self._alias,
            "aws:s3/bucket:Bucket": self._bucket,
            "aws:s3/bucketVersioning:BucketVersioning": self._versioning,
            "aws:s3/bucketServerSideEncryptionConfiguration:"
            "BucketServerSideEncryptionConfiguration": self._encryption,
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": self._access_block,
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls": self._ownership,
            "aws:s3/bucketPolicy:BucketPolicy": self._bucket_policy,
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": self._lifecycle,
            "aws:s3/bucketNotification:BucketNotification": self._notification,
            "aws:cloudwatch/logGroup:LogGroup": self._log_group,
            "aws:cloudwatch/metricAlarm:MetricAlarm": self._alarm,
            "aws:sqs/queue:Queue": self._queue,
            "aws:sqs/queuePolicy:QueuePolicy": self._queue_policy,
            "aws:iam/role:Role": self._role,
            "aws:iam/rolePolicy:RolePolicy": self._role_policy,
            "aws:lambda/function:Function": self._function,
            "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": self._invoke_config,
            "aws:lambda/permission:Permission": self._permission,
        }

    def deploy(self, program: Program) -> dict[str, Any]:
        """Create every resource; return the stack outputs as AWS would report them."""
        for resource in program.resources:
            if not resource.type.startswith("aws:"):
                continue  # components and providers have no cloud counterpart
            handler = self._handlers.get(resource.type)
            if handler is None:
                raise NotImplementedError(f"emulation does not know {resource.type}")
            handler(resource, self._resolve(resource.inputs))
        return self._resolve(program.outputs)

    def _resolve(self, value: Any) -> Any:
        """Replace mock-engine identifiers (ids, key ARNs) with the emulated ones."""
        text = json.dumps(value, default=_asset_archive)
        for mock, real in self._real.items():
            text = text.replace(mock, real)
        # The engine's Struct encoding turns every number into a float; AWS wants integers.
        return json.loads(text, parse_float=_number)

    def _client(self, service: str):
        return self.session.client(service)

    def _key(self, _: Registered, inputs: dict[str, Any]) -> None:
        kms = self._client("kms")
        key = kms.create_key(
            Description=inputs["description"],
            Tags=[{"TagKey": k, "TagValue": v} for k, v in inputs["tags"].items()],
        )["KeyMetadata"]
        if inputs.get("enableKeyRotation"):
            kms.enable_key_rotation(KeyId=key["KeyId"])
        self._real[MOCK_KMS_KEY_ID] = key["KeyId"]

    def _alias(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("kms").create_alias(
            AliasName=inputs["name"], TargetKeyId=inputs["targetKeyId"]
        )

    def _bucket(self, _: Registered, inputs: dict[str, Any]) -> None:
        s3 = self._client("s3")
        location = {} if self.region == "us-east-1" else {"LocationConstraint": self.region}
        s3.create_bucket(Bucket=inputs["bucket"], CreateBucketConfiguration=location)
        s3.put_bucket_tagging(
            Bucket=inputs["bucket"],
            Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in inputs["tags"].items()]},
        )

    def _versioning(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("s3").put_bucket_versioning(
            Bucket=inputs["bucket"],
            VersioningConfiguration={"Status": inputs["versioningConfiguration"]["status"]},
        )

    def _encryption(self, _: Registered, inputs: dict[str, Any]) -> None:
        rules = []
        for rule in inputs["rules"]:
            default = rule["applyServerSideEncryptionByDefault"]
            by_default = {"SSEAlgorithm": default["sseAlgorithm"]}
            if "kmsMasterKeyId" in default:
                by_default["KMSMasterKeyID"] = default["kmsMasterKeyId"]
            rules.append(
                {
                    "ApplyServerSideEncryptionByDefault": by_default,
                    "BucketKeyEnabled": rule["bucketKeyEnabled"],
                }
            )
        self._client("s3").put_bucket_encryption(
            Bucket=inputs["bucket"], ServerSideEncryptionConfiguration={"Rules": rules}
        )

    def _access_block(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("s3").put_public_access_block(
            Bucket=inputs["bucket"],
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": inputs["blockPublicAcls"],
                "IgnorePublicAcls": inputs["ignorePublicAcls"],
                "BlockPublicPolicy": inputs["blockPublicPolicy"],
                "RestrictPublicBuckets": inputs["restrictPublicBuckets"],
            },
        )

    def _ownership(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("s3").put_bucket_ownership_controls(
            Bucket=inputs["bucket"],
            OwnershipControls={"Rules": [{"ObjectOwnership": inputs["rule"]["objectOwnership"]}]},
        )

    def _bucket_policy(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("s3").put_bucket_policy(Bucket=inputs["bucket"], Policy=inputs["policy"])

    def _lifecycle(self, _: Registered, inputs: dict[str, Any]) -> None:
        rules = [
            {
                "ID": rule["id"],
                "Status": rule["status"],
                "Filter": {"Prefix": rule.get("filter", {}).get("prefix", "")},
                "NoncurrentVersionExpiration": {
                    "NoncurrentDays": rule["noncurrentVersionExpiration"]["noncurrentDays"]
                },
                "Expiration": {
                    "ExpiredObjectDeleteMarker": rule["expiration"]["expiredObjectDeleteMarker"]
                },
                "AbortIncompleteMultipartUpload": {
                    "DaysAfterInitiation": rule["abortIncompleteMultipartUpload"][
                        "daysAfterInitiation"
                    ]
                },
            }
            for rule in inputs["rules"]
        ]
        self._client("s3").put_bucket_lifecycle_configuration(
            Bucket=inputs["bucket"], LifecycleConfiguration={"Rules": rules}
        )

    def _notification(self, _: Registered, inputs: dict[str, Any]) -> None:
        targets = []
        for target in inputs["lambdaFunctions"]:
            rules = [
                {"Name": name, "Value": target[key]}
                for name, key in (("prefix", "filterPrefix"), ("suffix", "filterSuffix"))
                if key in target
            ]
            entry: dict[str, Any] = {
                "LambdaFunctionArn": target["lambdaFunctionArn"],
                "Events": target["events"],
            }
            if rules:
                entry["Filter"] = {"Key": {"FilterRules": rules}}
            targets.append(entry)
        self._client("s3").put_bucket_notification_configuration(
            Bucket=inputs["bucket"],
            NotificationConfiguration={"LambdaFunctionConfigurations": targets},
        )

    def _log_group(self, _: Registered, inputs: dict[str, Any]) -> None:
        logs = self._client("logs")
        logs.create_log_group(logGroupName=inputs["name"], tags=inputs["tags"])
        logs.put_retention_policy(
            logGroupName=inputs["name"], retentionInDays=inputs["retentionInDays"]
        )

    def _alarm(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("cloudwatch").put_metric_alarm(
            AlarmName=inputs["name"],
            AlarmDescription=inputs["alarmDescription"],
            Namespace=inputs["namespace"],
            MetricName=inputs["metricName"],
            Statistic=inputs["statistic"],
            Dimensions=[{"Name": k, "Value": v} for k, v in inputs["dimensions"].items()],
            Period=inputs["period"],
            EvaluationPeriods=inputs["evaluationPeriods"],
            Threshold=inputs["threshold"],
            ComparisonOperator=inputs["comparisonOperator"],
            TreatMissingData=inputs["treatMissingData"],
            AlarmActions=inputs.get("alarmActions", []),
            OKActions=inputs.get("okActions", []),
            Tags=[{"Key": k, "Value": v} for k, v in inputs["tags"].items()],
        )

    def _queue(self, _: Registered, inputs: dict[str, Any]) -> None:
        url = self._client("sqs").create_queue(
            QueueName=inputs["name"],
            Attributes={
                "MessageRetentionPeriod": str(inputs["messageRetentionSeconds"]),
                "SqsManagedSseEnabled": str(inputs["sqsManagedSseEnabled"]).lower(),
            },
            tags=inputs["tags"],
        )["QueueUrl"]
        mock_url = (
            f"https://sqs.{self.region}.amazonaws.com/{url.rsplit('/', 2)[-2]}/{inputs['name']}"
        )
        self._real[mock_url] = url

    def _queue_policy(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("sqs").set_queue_attributes(
            QueueUrl=inputs["queueUrl"], Attributes={"Policy": inputs["policy"]}
        )

    def _role(self, resource: Registered, inputs: dict[str, Any]) -> None:
        self._client("iam").create_role(
            RoleName=inputs["name"],
            AssumeRolePolicyDocument=inputs["assumeRolePolicy"],
            Description=inputs["description"],
            Tags=[{"Key": k, "Value": v} for k, v in inputs["tags"].items()],
        )
        self._real[f"{resource.name}-id"] = inputs["name"]

    def _role_policy(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("iam").put_role_policy(
            RoleName=inputs["role"], PolicyName=inputs["name"], PolicyDocument=inputs["policy"]
        )

    def _function(self, _: Registered, inputs: dict[str, Any]) -> None:
        lambda_ = self._client("lambda")
        environment = inputs["environment"]
        logging_config = inputs["loggingConfig"]
        lambda_.create_function(
            FunctionName=inputs["name"],
            Runtime=inputs["runtime"],
            Role=inputs["role"],
            Handler=inputs["handler"],
            Code={"ZipFile": _zip(inputs["code"])},
            Architectures=inputs["architectures"],
            MemorySize=inputs["memorySize"],
            Timeout=inputs["timeout"],
            Layers=inputs["layers"],
            Environment={"Variables": environment["variables"]},
            LoggingConfig={
                "LogFormat": logging_config["logFormat"],
                "LogGroup": logging_config["logGroup"],
                "ApplicationLogLevel": logging_config["applicationLogLevel"],
            },
            Tags=inputs["tags"],
        )

    def _invoke_config(self, _: Registered, inputs: dict[str, Any]) -> None:
        self._client("lambda").put_function_event_invoke_config(
            FunctionName=inputs["functionName"],
            MaximumRetryAttempts=inputs["maximumRetryAttempts"],
            MaximumEventAgeInSeconds=inputs["maximumEventAgeInSeconds"],
            DestinationConfig={
                "OnFailure": {
                    "Destination": inputs["destinationConfig"]["onFailure"]["destination"]
                }
            },
        )

    def _permission(self, resource: Registered, inputs: dict[str, Any]) -> None:
        self._client("lambda").add_permission(
            FunctionName=inputs["function"],
            StatementId=resource.name,
            Action=inputs["action"],
            Principal=inputs["principal"],
            SourceArn=inputs["sourceArn"],
            SourceAccount=inputs["sourceAccount"],
        )


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _asset_archive(value: Any) -> Any:
    """AssetArchives pass through JSON as {relative name: absolute path}."""
    assets = getattr(value, "assets", None)
    if assets is None:
        raise TypeError(f"cannot serialise {type(value).__name__}")
    return {"__archive__": {name: asset.path for name, asset in assets.items()}}


def _zip(archive: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, path in archive.get("__archive__", {}).items():
            package.write(path, arcname=name)
    return buffer.getvalue()
