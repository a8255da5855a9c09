"""The handler as Lambda loads it: ``lambda_code/`` is the code root, ``main`` a top-level
module, and nothing from the rest of the repository (Pulumi above all) comes along."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lambda_support import LAMBDA_ENV

CODE_ROOT = Path(__file__).resolve().parents[2] / "lambda_code"

# -I: no PYTHONPATH, no current directory on sys.path; only the code root is added, the way the
# Lambda runtime puts /var/task first (site-packages stand in for the Powertools layer).
SCRIPT = """
import json, sys
sys.path.insert(0, {code_root!r})
import main
event = {{"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": "layout-check"}}

class Context:
    function_name = "layout-check"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:layout-check"
    aws_request_id = "1"

summary = main.lambda_handler(event, Context())
repo_packages = {{"infra", "policypack", "gate", "lambda_code"}}
print(json.dumps({{
    "summary": summary,
    "file": main.__file__,
    "pulumi_loaded": any(name == "pulumi" or name.startswith("pulumi.") for name in sys.modules),
    "repo_modules": sorted(
        name for name in sys.modules if name.split(".")[0] in repo_packages
    ),
}}))
"""


def test_main_runs_as_a_top_level_module_from_the_code_root(tmp_path: Path) -> None:
    env = {**os.environ, **LAMBDA_ENV}
    result = subprocess.run(
        [sys.executable, "-I", "-c", SCRIPT.format(code_root=str(CODE_ROOT))],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(result.stdout.splitlines()[-1])

    assert report["summary"] == {"processed": 0, "skipped": 0, "failed": 0}
    assert Path(report["file"]) == CODE_ROOT / "main.py"
    assert report["pulumi_loaded"] is False
    assert report["repo_modules"] == []
