"""Entry point: read and validate the stack's config, then declare the S3 -> Lambda stack.

Config is validated before any resource is declared; a bad value stops the program with an
error naming the key, the value and what is allowed (see docs/stack.md, "Config reference").
"""

from pathlib import Path

import pulumi

from infra.aws_context import AwsContext, UnsupportedPartitionError
from infra.config import PROJECT_KEYS, ConfigError, parse_stack_config, unknown_keys
from infra.packaging import PackagingError
from infra.stack import build_stack

CODE_DIR = Path(__file__).resolve().parent / "lambda_code"


def _configured_keys() -> list[str]:
    """Every config key the engine passed in (explicitly set or via PULUMI_CONFIG)."""
    explicit = pulumi.runtime.config.CONFIG.get()
    return sorted(set(explicit) | set(pulumi.runtime.get_config_env()))


def main() -> None:
    project = pulumi.get_project()
    config = pulumi.Config()
    raw = {key: config.get(key) for key in PROJECT_KEYS}
    raw["aws:region"] = pulumi.Config("aws").get("region")
    problems = [
        f"{key}: unknown config key (a typo?); known keys are {', '.join(PROJECT_KEYS)}"
        for key in unknown_keys(_configured_keys(), project)
    ]
    try:
        stack_config = parse_stack_config(raw, project=project, stack=pulumi.get_stack())
    except ConfigError as error:
        problems = error.problems + problems
    if problems:
        raise pulumi.RunError(str(ConfigError(problems)))

    context = AwsContext.lookup(stack_config.region)
    try:
        outputs = build_stack(stack_config, context, CODE_DIR)
    except (UnsupportedPartitionError, PackagingError) as error:
        raise pulumi.RunError(str(error)) from None
    for name, value in outputs.items():
        pulumi.export(name, value)


main()
