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

gate: venv
	$(PY) -m gate --program . --stack $(STACK) --policy-pack policypack $(ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

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
