"""Benchmark of the offline gate: wall time of `python -m gate` beside a bare mock-engine run.

For each program the gate's wall time (the CLI in a fresh process: the program on the mock
engine in its child interpreter, the policy pack started as the CLI starts it, Analyze per
resource, AnalyzeStack, the text report) is printed beside a *bare* run of the same program on
the SDK's stock mock engine (``pulumi.runtime.set_mocks`` with mocks that echo inputs, as in
Pulumi's testing-unit-py example) in a fresh interpreter, with no pack, and their ratio. All
figures come from this run on this machine; each is the median of ``--runs`` runs (one run for
programs of 1,000 buckets or more).

The gate runs twice per program: with a minimal pack written by this script (one resource policy
and one stack policy that each read every resource once: the gate's own cost) and with this
project's ``policypack/`` (the gate's cost plus that pack's policies).

Programs: this project (stack ``dev``), and generated programs of 100 and 1,000 buckets, each
bucket with its versioning, encryption and public-access-block resources (4 resources a bucket).

Run from the repository root: ``.venv/bin/python bench/gate_bench.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gate.project import load_project  # noqa: E402 (after the repository is importable)

BARE = textwrap.dedent(
    """
    import json, os, runpy, sys
    import pulumi
    from pulumi.runtime import set_all_config, set_mocks
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    class EchoMocks(pulumi.runtime.Mocks):
        def new_resource(self, args):
            return args.name + "-id", dict(args.inputs)

        def call(self, args):
            if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
                return {"accountId": "123456789012", "arn": "arn:aws:iam::123456789012:user/b"}, []
            if args.token == "aws:index/getPartition:getPartition":
                return {"partition": "aws", "dnsSuffix": "amazonaws.com"}, []
            if args.token == "aws:index/getRegion:getRegion":
                return {"name": "us-east-1", "region": "us-east-1"}, []
            return {"json": "{}"}, []

    job = json.loads(os.environ["BENCH_JOB"])
    set_mocks(EchoMocks(), project=job["project"], stack=job["stack"], preview=True)
    set_all_config(job["config"], job["secretKeys"])
    os.chdir(job["directory"])
    sys.path.insert(0, job["main"])
    _sync_await(run_pulumi_func(lambda: runpy.run_path(job["main"], run_name="__main__")))
    """
)

GENERATED = textwrap.dedent(
    """
    import pulumi_aws as aws

    for i in range({count}):
        bucket = aws.s3.Bucket(f"bucket-{{i}}", tags={{"owner": "bench", "environment": "dev"}})
        aws.s3.BucketVersioning(
            f"bucket-{{i}}-versioning",
            bucket=bucket.id,
            versioning_configuration={{"status": "Enabled"}},
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"bucket-{{i}}-encryption",
            bucket=bucket.id,
            rules=[{{"apply_server_side_encryption_by_default": {{"sse_algorithm": "aws:kms"}}}}],
        )
        aws.s3.BucketPublicAccessBlock(
            f"bucket-{{i}}-public-access-block",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
        )
    """
)


MINIMAL_PACK = textwrap.dedent(
    """
    from pulumi_policy import (
        EnforcementLevel, PolicyPack, ResourceValidationPolicy, StackValidationPolicy,
    )

    def tagged(args, report):
        if "tags" in args.props and not args.props["tags"]:
            report("empty tags")

    def linked(args, report):
        buckets = {r.urn for r in args.resources if r.resource_type == "aws:s3/bucket:Bucket"}
        for r in args.resources:
            for dep in r.property_dependencies.get("bucket", []):
                buckets.discard(dep.urn)

    PolicyPack(
        name="bench-minimal",
        enforcement_level=EnforcementLevel.MANDATORY,
        policies=[
            ResourceValidationPolicy(name="tagged", description="tags", validate=tagged),
            StackValidationPolicy(name="linked", description="links", validate=linked),
        ],
    )
    """
)


def minimal_pack(directory: Path) -> Path:
    directory.mkdir(parents=True)
    (directory / "PulumiPolicy.yaml").write_text("runtime: python\nversion: 0.0.1\n")
    (directory / "__main__.py").write_text(MINIMAL_PACK)
    return directory


def generate(directory: Path, count: int) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text("name: bench\nruntime: python\n")
    (directory / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (directory / "__main__.py").write_text(GENERATED.format(count=count))
    return directory


def timed(
    command: list[str], env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)
) -> float:
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if completed.returncode not in ok:
        raise SystemExit(
            f"{' '.join(command[:4])} ... exited {completed.returncode}:\n"
            f"{completed.stderr[-2000:]}"
        )
    return elapsed


def bare(program: Path, stack: str) -> float:
    project = load_project(program, stack)
    job = {
        "project": project.name,
        "stack": project.stack,
        "config": project.config,
        "secretKeys": project.secret_keys,
        "directory": str(project.directory),
        "main": str(project.main),
    }
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({"BENCH_JOB": json.dumps(job), "PULUMI_CONFIG": json.dumps(project.config)})
    return timed([sys.executable, "-c", BARE], env)


def gate(program: Path, stack: str, pack: Path) -> float:
    command = [sys.executable, "-m", "gate", "--program", str(program), "--stack", stack]
    return timed([*command, "--policy-pack", str(pack)], ok=(0, 1))


def measure(label: str, program: Path, stack: str, packs: list[Path], runs: int) -> None:
    bare_times: list[float] = []
    gate_times: list[list[float]] = [[] for _ in packs]
    for _ in range(runs):  # interleaved, so that load on the machine hits all alike
        bare_times.append(bare(program, stack))
        for times, pack in zip(gate_times, packs, strict=True):
            times.append(gate(program, stack, pack))
    b = statistics.median(bare_times)
    cells = "".join(
        f" {statistics.median(t):>9.2f} s {statistics.median(t) / b:>6.2f}x" for t in gate_times
    )
    print(f"{label:<32} {runs:>4} {b:>9.2f} s{cells}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--policy-pack", type=Path, default=REPO / "policypack")
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; "
        f"wall times, median of the runs\n"
    )
    print(
        f"{'program':<32} {'runs':>4} {'bare':>11} {'gate+minimal pack':>19}"
        f" {'gate+policypack/':>19}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        packs = [minimal_pack(Path(tmp) / "minimal-pack"), args.policy_pack]
        measure("this project (stack dev)", REPO, "dev", packs, args.runs)
        for size in args.sizes:
            program = generate(Path(tmp) / f"buckets-{size}", size)
            label = f"{size:,} buckets ({4 * size:,} resources)"
            measure(label, program, "dev", packs, args.runs if size < 1000 else 1)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
