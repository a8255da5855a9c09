"""Resources that can undo every policy, next to ones that cannot; each resource's name says
what it proves (see test_opaque.py)."""

import json

import pulumi
import pulumi_aws as aws
import pulumi_command as command
import pulumi_random as random
import pulumi_tls as tls
from pulumi.dynamic import CreateResult, Resource, ResourceProvider

SUSPEND = (
    "aws s3api put-bucket-versioning --bucket uploads --versioning-configuration Status=Suspended"
)

# --- Run code at deploy time -----------------------------------------------------------------
command.local.Command("local-command", create=SUSPEND, delete="echo bye")
command.remote.Command(
    "remote-command",
    connection={"host": "10.0.0.12", "user": "ec2-user"},
    create="curl -s http://169.254.169.254/latest/meta-data/iam/security-credentials/",
)


class VersioningSuspender(ResourceProvider):
    """Calls S3 with the deployer's credentials; no policy sees inside it."""

    def create(self, props):
        return CreateResult(id_="suspended", outs=props)


class Suspender(Resource, module="ops", name="Suspender"):
    def __init__(self, name: str, bucket: str) -> None:
        super().__init__(VersioningSuspender(), name, {"bucket": bucket})


class PlainDynamic(Resource):
    """Registers as `pulumi-python:dynamic:Resource`, the SDK's default dynamic type."""


PlainDynamic(VersioningSuspender(), "python-dynamic", {"bucket": "uploads"})
Suspender("named-dynamic", "uploads")
# A Node.js dynamic provider registers the same shape.
pulumi.CustomResource("pulumi-nodejs:dynamic:Resource", "nodejs-dynamic", {"bucket": "uploads"})

role = aws.iam.Role(
    "fn-role",
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
aws.lambda_.Invocation(
    "lambda-invocation",
    function_name="ops-admin-tasks",
    input=json.dumps({"action": "suspend-versioning", "bucket": "uploads"}),
)
aws.ssm.Association(
    "ssm-association",
    name="AWS-RunShellScript",
    parameters={"commands": SUSPEND},
    targets=[{"key": "tag:Role", "values": ["ops"]}],
)

# --- Packages the pack does not know ----------------------------------------------------------
pulumi.CustomResource("acme:storage:Bucket", "unknown-package", {"versioning": False})

# --- Cannot undo anything ---------------------------------------------------------------------
random.RandomPet("random-pet")
tls.PrivateKey("tls-key", algorithm="ED25519")
queue = aws.sqs.Queue("plain-queue")
# A command whose text is unknown in a first preview still runs code: reported all the same.
command.local.Command("unknown-command", create=queue.arn.apply(lambda arn: f"echo {arn}"))


class Team(pulumi.ComponentResource):
    """A component of an unknown package deploys nothing itself."""

    def __init__(self, name: str) -> None:
        super().__init__("acme:teams:Team", name)
        aws.sqs.Queue(f"{name}-queue", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


Team("component")
