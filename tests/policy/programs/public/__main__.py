"""Every statement of cases.py in every resource type that holds a resource policy, every trust case
in a role, every Lambda permission case; the names say what each proves (see test_public.py)."""

import json

import pulumi
import pulumi_aws as aws
from cases import (
    ACCESS_POINT_NAME_WILDCARD,
    ACCOUNT,
    DOCUMENT_CASES,
    PERMISSION_CASES,
    RESOURCE_CASES,
    TRUST_CASES,
)


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


AP_ARN = f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/shared"
bucket = aws.s3.Bucket("holder-bucket", bucket="policy-tests-public-holder")

# holder -> a function declaring that holder with the given policy document.
HOLDERS = {
    "bucket-policy": lambda n, d: aws.s3.BucketPolicy(n, bucket=bucket.id, policy=d),
    "access-point-policy": lambda n, d: aws.s3control.AccessPointPolicy(
        n, access_point_arn=AP_ARN, policy=d
    ),
    "object-lambda-ap": lambda n, d: aws.s3control.ObjectLambdaAccessPointPolicy(
        n, name="olap", policy=d
    ),
    "multi-region-ap": lambda n, d: aws.s3control.MultiRegionAccessPointPolicy(
        n, details={"name": "mrap", "policy": d}
    ),
    "sqs-queue-policy": lambda n, d: aws.sqs.QueuePolicy(
        n, queue_url="https://sqs.us-east-1.amazonaws.com/111122223333/q", policy=d
    ),
    "sqs-queue": lambda n, d: aws.sqs.Queue(n, policy=d),
    "sns-topic-policy": lambda n, d: aws.sns.TopicPolicy(
        n, arn=f"arn:aws:sns:us-east-1:{ACCOUNT}:t", policy=d
    ),
    "kms-key": lambda n, d: aws.kms.Key(n, policy=d, enable_key_rotation=True),
    "ecr-repository-policy": lambda n, d: aws.ecr.RepositoryPolicy(n, repository="r", policy=d),
    "secret-policy": lambda n, d: aws.secretsmanager.SecretPolicy(
        n, secret_arn=f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:s", policy=d
    ),
    "rest-api-policy": lambda n, d: aws.apigateway.RestApiPolicy(n, rest_api_id="abc", policy=d),
    "lambda-resource-policy": lambda n, d: aws.lambda_.ResourcePolicy(
        n, resource_arn=f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f", policy=d
    ),
}

for case, (statement, _public) in RESOURCE_CASES.items():
    for holder, declare in HOLDERS.items():
        declare(f"{case}--{holder}", document(statement))
for case, (statements, _public) in DOCUMENT_CASES.items():
    for holder, declare in HOLDERS.items():
        declare(f"{case}--{holder}", document(*statements))
for holder in ("bucket-policy", "access-point-policy"):
    HOLDERS[holder](f"ap-name-wildcard--{holder}", document(ACCESS_POINT_NAME_WILDCARD))

for case, (statement, _public) in TRUST_CASES.items():
    aws.iam.Role(case, assume_role_policy=document(statement))

role = aws.iam.Role(
    "fn-role",
    assume_role_policy=document(TRUST_CASES["trust-service"][0]),
)
function = aws.lambda_.Function(
    "fn",
    role=role.arn,
    runtime="python3.13",
    handler="index.handler",
    code=pulumi.AssetArchive(
        {"index.py": pulumi.StringAsset("def handler(event, context):\n    return None\n")}
    ),
)
for case, (args, _public) in PERMISSION_CASES.items():
    aws.lambda_.Permission(case, action="lambda:InvokeFunction", function=function.name, **args)
aws.lambda_.Permission(
    "perm-service-variable-arn",
    action="lambda:InvokeFunction",
    function=function.name,
    principal="events.amazonaws.com",
    source_arn="arn:aws:events:us-east-1:${aws:SourceAccount}:rule/nightly",
)

layer = aws.lambda_.LayerVersion(
    "layer",
    layer_name="shared-code",
    code=pulumi.AssetArchive({"python/x.py": pulumi.StringAsset("X = 1\n")}),
)
for name, extra in {
    "layer-everyone": {"principal": "*"},
    "layer-variable-org": {"principal": "*", "organization_id": "${aws:PrincipalOrgID}"},
    "layer-org": {"principal": "*", "organization_id": "o-a1b2c3d4e5"},
    "layer-account": {"principal": ACCOUNT},
}.items():
    aws.lambda_.LayerVersionPermission(
        name,
        layer_name=layer.layer_arn,
        version_number=layer.version,
        action="lambda:GetLayerVersion",
        statement_id=name,
        **extra,
    )
aws.lambda_.FunctionUrl("url-none", function_name=function.name, authorization_type="NONE")
aws.lambda_.FunctionUrl("url-iam", function_name=function.name, authorization_type="AWS_IAM")

for name, extra in {
    "bus-everyone": {"principal": "*"},
    "bus-variable-org": {
        "principal": "*",
        "condition": {
            "key": "aws:PrincipalOrgID",
            "type": "StringEquals",
            "value": "${aws:PrincipalOrgID}",
        },
    },
    "bus-org": {
        "principal": "*",
        "condition": {"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": "o-a1b2c3d4e5"},
    },
    "bus-account": {"principal": ACCOUNT},
}.items():
    aws.cloudwatch.EventPermission(name, statement_id=name.replace("-", ""), **extra)
