"""Benchmark of the offline gate: wall time of `python -m gate` beside a bare mock-engine run.

For each program the gate's wall time (the CLI in a fresh process: the program on the mock
engine in its child interpreter, the policy pack started as the CLI starts it, Analyze per
resource, AnalyzeStack, the text report) is printed beside a *bare* run of the same program on
the SDK's stock mock engine (``pulumi.runtime.set_mocks`` with mocks that echo inputs, as in
Pulumi's testing-unit-py example) in a fresh interpreter, with no pack, and their ratio. Both are
measured in this run, on this machine; each figure is the median of ``--runs`` runs.

Programs: this project (stack ``dev``), and generated programs of 100 and 1,000 buckets, each
bucket with its versioning, encryption and public-access-block resources (4 resources a bucket).
The pack is this project's ``policypack/`` (``--policy-pack`` to choose another).

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


def measure(label: str, program: Path, stack: str, pack: Path, runs: int) -> None:
    bare_times, gate_times = [], []
    for _ in range(runs):  # interleaved, so that load on the machine hits both alike
        bare_times.append(bare(program, stack))
        gate_times.append(gate(program, stack, pack))
    b, g = statistics.median(bare_times), statistics.median(gate_times)
    print(f"{label:<34} {b:>9.2f} s {g:>9.2f} s {g / b:>7.2f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000])
    parser.add_argument("--policy-pack", type=Path, default=REPO / "policypack")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.2f}; median of {args.runs} runs\n")
    print(f"{'program':<34} {'bare':>11} {'gate':>11} {'ratio':>8}")
    measure("this project (stack dev)", REPO, "dev", args.policy_pack, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            program = generate(Path(tmp) / f"buckets-{size}", size)
            label = f"{size:,} buckets ({4 * size:,} resources)"
            measure(label, program, "dev", args.policy_pack, args.runs)


if __name__ == "__main__":
    main()
