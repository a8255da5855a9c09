# One virtualenv (.venv) serves the program, the policy pack, the gate and the tests.
# `make venv` (run by every target that needs it) makes it with $(PYTHON), rebuilds one that
# another Python left, and installs the requirements when a requirements file changes
# (tools/ensure_venv.py).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STACK  ?= dev
# Extra options for the gate, e.g. make gate ARGS="--fresh --format sarif --output gate.sarif"
ARGS   ?=

.PHONY: venv test gate lint format preview up destroy bench clean

venv:
	@$(PYTHON) tools/ensure_venv.py $(VENV) requirements-dev.txt policypack/requirements.txt

test: venv
	$(PY) -m pytest

# The command is echoed on stderr, so that `make gate ARGS="--format sarif" > gate.sarif` writes
# only the report; make's own echo would go to stdout.
GATE_COMMAND = $(PY) -m gate --program . --stack $(STACK) --policy-pack policypack $(ARGS)
gate: venv
	@echo '$(subst ','\'',$(GATE_COMMAND))' >&2
	@$(GATE_COMMAND)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The handler on one event file, against a local moto S3 server the script starts and stops,
# with the environment the stack gives the function (infra/processor.py) and no real AWS access.
EVENT     ?=
LOG_LEVEL ?= INFO
.PHONY: invoke
invoke: venv
	@test -n "$(EVENT)" || { echo "usage: make invoke EVENT=events/object-created.json (samples in events/)" >&2; exit 2; }
	env -u AWS_PROFILE -u AWS_SESSION_TOKEN -u AWS_ENDPOINT_URL \
	  POWERTOOLS_SERVICE_NAME=s3-object-processor \
	  POWERTOOLS_METRICS_NAMESPACE=ServerlessS3Lambda \
	  POWERTOOLS_LOG_LEVEL=$(LOG_LEVEL) \
	  AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
	  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
	  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	  $(PY) tools/invoke_local.py $(EVENT)

# Real-cloud paths: need the Pulumi CLI, a backend login and AWS credentials.
NEED_PULUMI = @command -v pulumi >/dev/null 2>&1 || { echo "make $@ needs the Pulumi CLI (https://www.pulumi.com/docs/install/); offline, use make gate" >&2; exit 2; }

preview: venv
	$(NEED_PULUMI)
	pulumi preview --stack $(STACK) --policy-pack policypack

up: venv
	$(NEED_PULUMI)
	pulumi up --stack $(STACK) --policy-pack policypack

destroy:
	$(NEED_PULUMI)
	pulumi destroy --stack $(STACK)

bench: venv
	$(PY) bench/gate_bench.py
	$(PY) bench/handler_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
