"""AWS's own per-region service accounts, as the AWS provider answers its ``getServiceAccount``
functions: from tables compiled into the provider, with no API call, so a real preview knows them.

Mirrored from hashicorp/terraform-provider-aws (which pulumi-aws bridges):
``internal/service/elb/service_account_data_source.go`` (``accountIDPerRegionMap``, ARN
``arn:<partition>:iam::<account>:root``),
``internal/service/cloudtrail/service_account_data_source.go`` (``serviceAccountPerRegionMap``,
``...:root``), ``internal/service/redshift/service_account_data_source.go``
(``ServiceAccountPerRegionMap``, ``...:user/logs``), and the billing account (below). A region
missing from a table fails the function in the provider ("unsupported AWS Region"), so it fails
here too. AWS documents the same accounts:
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
"""

from __future__ import annotations

ELB = {
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-south-1": "718504428378",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
    "eu-central-1": "054676820928",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-gov-east-1": "190560391635",
    "us-gov-west-1": "048591011584",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
}

CLOUDTRAIL = {
    "af-south-1": "525921808201",
    "ap-east-1": "119688915426",
    "ap-northeast-1": "216624486486",
    "ap-northeast-2": "492519147666",
    "ap-northeast-3": "765225791966",
    "ap-south-1": "977081816279",
    "ap-south-2": "582488909970",
    "ap-southeast-1": "903692715234",
    "ap-southeast-2": "284668455005",
    "ap-southeast-3": "069019280451",
    "ap-southeast-4": "187074758985",
    "ca-central-1": "819402241893",
    "cn-north-1": "193415116832",
    "cn-northwest-1": "681348832753",
    "eu-central-1": "035351147821",
    "eu-central-2": "453052556044",
    "eu-north-1": "829690693026",
    "eu-south-1": "669305197877",
    "eu-south-2": "757211635381",
    "eu-west-1": "859597730677",
    "eu-west-2": "282025262664",
    "eu-west-3": "262312530599",
    "il-central-1": "683224464357",
    "me-central-1": "585772288577",
    "me-south-1": "034638983726",
    "sa-east-1": "814480443879",
    "us-east-1": "086441151436",
    "us-east-2": "475085895292",
    "us-gov-east-1": "608710470296",
    "us-gov-west-1": "608710470296",
    "us-west-1": "388731089494",
    "us-west-2": "113285607260",
}

REDSHIFT = {
    "af-south-1": "365689465814",
    "ap-east-1": "313564881002",
    "ap-northeast-1": "404641285394",
    "ap-northeast-2": "760740231472",
    "ap-northeast-3": "090321488786",
    "ap-south-1": "865932855811",
    "ap-southeast-1": "361669875840",
    "ap-southeast-2": "762762565011",
    "ca-central-1": "907379612154",
    "cn-north-1": "111890595117",
    "cn-northwest-1": "660998842044",
    "eu-central-1": "053454850223",
    "eu-north-1": "729911121831",
    "eu-south-1": "945612479654",
    "eu-west-1": "210876761215",
    "eu-west-2": "307160386991",
    "eu-west-3": "915173422425",
    "me-south-1": "013126148197",
    "sa-east-1": "075028567923",
    "us-east-1": "193672423079",
    "us-east-2": "391106570357",
    "us-gov-east-1": "665727464434",
    "us-gov-west-1": "665727464434",
    "us-west-1": "262260360010",
    "us-west-2": "902366379725",
}

SERVICE_ACCOUNTS: dict[str, tuple[dict[str, str], str]] = {
    "aws:elb/getServiceAccount:getServiceAccount": (ELB, "root"),
    "aws:cloudtrail/getServiceAccount:getServiceAccount": (CLOUDTRAIL, "root"),
    "aws:redshift/getServiceAccount:getServiceAccount": (REDSHIFT, "user/logs"),
}
"""Function token -> (region -> account, the ARN's resource part)."""

BILLING_ACCOUNT = "386209384616"
"""``getBillingServiceAccount``: one account in every region (``billingAccountID`` in the
provider's ``internal/service/meta/billing_service_account_data_source.go``)."""

TOKENS = frozenset(
    {*SERVICE_ACCOUNTS, "aws:index/getBillingServiceAccount:getBillingServiceAccount"}
)


def service_account(token: str, region: str, partition: str) -> dict[str, str] | None:
    """The provider's answer (``id``, ``arn``, ``region``); None when ``region`` has no entry,
    which the provider reports as an error."""
    if token not in SERVICE_ACCOUNTS:
        arn = f"arn:{partition}:iam::{BILLING_ACCOUNT}:root"
        return {"id": BILLING_ACCOUNT, "arn": arn}
    table, resource = SERVICE_ACCOUNTS[token]
    account = table.get(region)
    if account is None:
        return None
    return {"id": account, "arn": f"arn:{partition}:iam::{account}:{resource}", "region": region}
