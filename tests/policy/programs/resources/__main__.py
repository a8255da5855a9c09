"""Tags, Lambda, logs and KMS scenarios; each resource's name says what it proves
(see test_resources.py). The default provider's aws:defaultTags (stack config) lack Owner."""

import json

import pulumi
import pulumi_aws as aws

OWNER = {"Owner": "platform"}
ACCOUNT = "123456789012"
CODE = pulumi.AssetArchive(
    {"index.py": pulumi.StringAsset("def handler(event, context):\n    return None\n")}
)
ALL_BLOCKED = {
    "block_public_acls": True,
    "block_public_policy": True,
    "ignore_public_acls": True,
    "restrict_public_buckets": True,
}

# --- required-tags -------------------------------------------------------------------------
aws.sqs.Queue("owner-on-resource", tags=OWNER)  # default tags + Owner: compliant
aws.sqs.Queue("missing-owner")  # Owner missing
aws.sqs.Queue("empty-owner", tags={"Owner": ""})  # empty value
aws.sqs.Queue("blank-project", tags={**OWNER, "Project": "   "})  # overrides a default with blanks
aws.sqs.Queue("lowercase-owner", tags={"owner": "platform"})  # keys are case-sensitive
tagged = aws.Provider(
    "tagged",
    region="us-east-1",
    default_tags={"tags": {"Project": "p", "Environment": "e", "Owner": "o", "ManagedBy": "m"}},
)
aws.sqs.Queue("explicit-provider-tags", opts=pulumi.ResourceOptions(provider=tagged))
# An explicit provider does not inherit the stack's aws:defaultTags.
untagged = aws.Provider("untagged", region="us-east-1")
aws.sqs.Queue("explicit-provider-bare", tags=OWNER, opts=pulumi.ResourceOptions(provider=untagged))

# --- Lambda ------------------------------------------------------------------------------------
role = aws.iam.Role(
    "fn-role",
    tags=OWNER,
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
dlq = aws.sqs.Queue("fn-dlq", tags=OWNER)


def function(name: str, **kwargs) -> aws.lambda_.Function:
    args = {"role": role.arn, "handler": "index.handler", "code": CODE, "tags": OWNER}
    args.setdefault("dead_letter_config", {"target_arn": dlq.arn})
    if "dead_letter_config" in kwargs and kwargs["dead_letter_config"] is None:
        kwargs.pop("dead_letter_config")
        args.pop("dead_letter_config")
    return aws.lambda_.Function(name, **{**args, **kwargs})


current = function("python313", runtime="python3.13")
function("python39", runtime="python3.9")  # deprecated 2025-12-15
function("nodejs18", runtime="nodejs18.x")  # deprecated 2025-09-01
function("unknown-runtime", runtime="python9.9")  # not in the table: cannot be confirmed
# Identifiers AWS accepts (botocore's Lambda Runtime enum) with no deprecation date announced.
for runtime in ("java17.al2023", "java11.al2023", "java8.al2023", "nodejs26.x", "python3.15"):
    function(f"accepted-{runtime.replace('.', '-')}", runtime=runtime)
function("accepted-ruby4-0", runtime="ruby4.0")
aws.lambda_.Function(  # images carry their own runtime: not checked
    "image-fn",
    role=role.arn,
    package_type="Image",
    image_uri=f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/fn:1",
    dead_letter_config={"target_arn": dlq.arn},
    tags=OWNER,
)
function("no-dlq", runtime="python3.13", dead_letter_config=None)  # async failures dropped
with_destination = function("with-destination", runtime="python3.13", dead_letter_config=None)
aws.lambda_.FunctionEventInvokeConfig(
    "with-destination-async",
    function_name=with_destination.name,
    destination_config={"on_failure": {"destination": dlq.arn}},
)
# Linked by the function's ARN (a name, an ARN or a partial ARN all name the function).
by_arn = function("destination-by-arn", runtime="python3.13", dead_letter_config=None)
aws.lambda_.FunctionEventInvokeConfig(
    "destination-by-arn-async",
    function_name=by_arn.arn,
    destination_config={"on_failure": {"destination": dlq.arn}},
)
# Decoy: an invoke config that depends on the function but names another one.
decoy_fn = function("decoy-destination", runtime="python3.13", dead_letter_config=None)
aws.lambda_.FunctionEventInvokeConfig(
    "decoy-destination-async",
    function_name=decoy_fn.name.apply(lambda _: "some-other-function"),
    destination_config={"on_failure": {"destination": dlq.arn}},
)

bucket = aws.s3.Bucket("trigger-bucket", tags=OWNER)
aws.s3.BucketVersioning(
    "trigger-bucket-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"}
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "trigger-bucket-sse",
    bucket=bucket.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
)
aws.s3.BucketPublicAccessBlock("trigger-bucket-pab", bucket=bucket.id, **ALL_BLOCKED)

aws.lambda_.Permission(
    "s3-scoped",
    action="lambda:InvokeFunction",
    function=current.name,
    principal="s3.amazonaws.com",
    source_arn=bucket.arn,
    source_account=ACCOUNT,
)
aws.lambda_.Permission(  # S3 ARNs carry no account: source_account is required
    "s3-no-account",
    action="lambda:InvokeFunction",
    function=current.name,
    principal="s3.amazonaws.com",
    source_arn=bucket.arn,
)
aws.lambda_.Permission(
    "anyone", action="lambda:InvokeFunction", function=current.name, principal="*"
)
aws.lambda_.Permission(
    "events-no-source",
    action="lambda:InvokeFunction",
    function=current.name,
    principal="events.amazonaws.com",
)
aws.lambda_.Permission(
    "sns-every-topic",
    action="lambda:InvokeFunction",
    function=current.name,
    principal="sns.amazonaws.com",
    source_arn="arn:aws:sns:*:*:*",
)
aws.lambda_.Permission(
    "account-principal", action="lambda:InvokeFunction", function=current.name, principal=ACCOUNT
)

# --- CloudWatch Logs and KMS ---------------------------------------------------------------
aws.cloudwatch.LogGroup("retained", retention_in_days=30, tags=OWNER)
aws.cloudwatch.LogGroup("forever", tags=OWNER)
aws.cloudwatch.LogGroup("zero-retention", retention_in_days=0, tags=OWNER)
aws.kms.Key("rotating", enable_key_rotation=True, tags=OWNER)
aws.kms.Key("static", tags=OWNER)
aws.kms.Key("signing", key_usage="SIGN_VERIFY", customer_master_key_spec="RSA_2048", tags=OWNER)
