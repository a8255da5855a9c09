"""``gate.run``: one offline preview of a program with a policy pack, returning a Report."""

from __future__ import annotations

import base64
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc
from google.protobuf.json_format import MessageToDict
from google.protobuf.struct_pb2 import Struct
from pulumi.runtime.proto import analyzer_pb2

from .analysis import STACK_TYPE, SequentialAnalysis, stack_resource
from .analyzer import configure, configure_stack, describe, result_items
from .assets import asset_problems, may_hold_assets
from .autonaming import parse_autonaming
from .bundled import bundled_pack_dir, check_pack_modules, is_bundled
from .durations import parse_go_duration
from .errors import GateError, PolicyConfigError
from .invoke_answers import load_invoke_answers
from .locations import locate
from .mock_world import DEFAULT_REGION
from .pack_process import PackProcess, StackContext
from .pack_spec import read_pack
from .policy_config import config_environments, config_problems, load_policy_config
from .program import ProgramRun
from .project import Project, load_project, with_cli_config
from .report import BuiltDocument, Report, Resource, SourcePosition
from .stack_tags import stack_tags

_PROGRAM_OUTPUT_LINES = 20


def run(
    program: str | Path = ".",
    stack: str = "dev",
    policy_pack: str | Path | None = None,
    policy_config: Mapping[str, Any] | str | Path | None = None,
    fresh: bool = False,
    *,
    config: Sequence[str] = (),
    secrets: Sequence[str] = (),
    invoke_answers: str | Path | None = None,
) -> Report:
    """Run ``program`` on the mock engine and ``policy_pack`` over it; GateError when impossible.

    ``policy_pack`` defaults to the pack bundled with the gate (``gate.bundled``);
    ``policy_config`` is a mapping or a path to a JSON file in
    ``pulumi preview --policy-pack-config`` format; ``fresh`` leaves computed outputs unknown, as
    in the first preview of a new stack; ``config`` and ``secrets`` are ``KEY=VALUE`` stack config
    entries, as ``pulumi preview -c``; ``invoke_answers`` a JSON file of recorded provider
    function results (see ``gate.invokes``).
    """
    project = with_cli_config(load_project(program, stack), config, secrets)
    parse_autonaming(project.config, project.organization, project.name, project.stack)  # early
    user_config = load_policy_config(policy_config)
    try:
        answers = load_invoke_answers(invoke_answers)
    except ValueError as err:
        raise GateError(str(err)) from None
    tags = stack_tags(project)
    pack_dir = Path(policy_pack) if policy_pack is not None else bundled_pack_dir()
    bundled = is_bundled(pack_dir)
    if bundled:
        check_pack_modules()
    spec = read_pack(pack_dir, sys.executable, use_virtualenv=not bundled)
    context = StackContext(
        project.name, project.stack, project.organization, project.config, project.secret_keys
    )
    report = Report(project=project.name, stack=project.stack, program_dir=str(project.directory))
    report.notes.extend(project.notes)
    report.warnings.extend(project.warnings)
    report.notes.extend(
        f"The policy config names the ESC environment {name}, which cannot be opened offline; "
        "its policyConfig values were not applied."
        for name in config_environments(policy_config)
    )
    with PackProcess(spec, context) as pack:
        program_run = ProgramRun(project, fresh, answers)
        try:
            _analyze(pack, program_run, project, user_config, report, tags=tags)
        except grpc.RpcError as error:
            raise pack.failure("failed during analysis", error) from None
        finally:
            program_run.kill()
    report.notes.extend(f"{report.policy_packs[0][0]}: {line}" for line in pack.logs())
    locate(report)
    problems = config_problems(report)
    if problems:
        raise PolicyConfigError(problems, report)
    return report


def _analyze(
    pack: PackProcess,
    program_run: ProgramRun,
    project: Project,
    user_config: Mapping[str, Any],
    report: Report,
    *,
    tags: Mapping[str, str],
) -> None:
    stub = pack.connect()
    # The engine sends ConfigureStack when it starts the pack (NewPolicyAnalyzer in
    # sdk/go/common/resource/plugin/analyzer_plugin.go), before GetAnalyzerInfo and Configure.
    configure_stack(stub, pack.context, tags)
    try:
        info = describe(stub, pack.spec)
    except grpc.RpcError as error:
        raise pack.failure("did not answer GetAnalyzerInfo", error) from None
    report.policy_packs.append((info.name, info.version))
    report.policies.extend(info.policies)
    config = configure(stub, info, user_config)
    report.policies[:] = [
        replace(p, enforcement_level=config[p.name].enforcement_level or p.enforcement_level)
        if p.name in config
        else p
        for p in report.policies
    ]
    remediating = any(c.enforcement_level == "remediate" for c in config.values())
    by_urn: dict[str, Resource] = {}
    failures: list[dict[str, Any]] = []
    logged_errors: list[str] = []
    severities = {p.name: p.severity for p in info.policies}
    analysis = SequentialAnalysis(
        stub, info.name, by_urn, remediating=remediating, severities=severities
    )
    try:
        _read_program(
            program_run,
            project,
            report,
            by_urn=by_urn,
            analysis=analysis,
            failures=failures,
            logged_errors=logged_errors,
        )
    finally:
        analysis.close()
    status, printed = program_run.finish()
    if failures or logged_errors or status != 0:
        raise GateError(_program_failure(project, failures, logged_errors, status, printed))
    analysis.finish(report)
    if analysis.failed is not None:
        urn, error = analysis.failed
        raise pack.failure(f"failed to analyze {urn}", error) from None
    printed_lines = [line for line in printed.splitlines() if line.strip()]
    report.notes.extend(
        f"program printed: {line}" for line in printed_lines[-_PROGRAM_OUTPUT_LINES:]
    )
    stack_request = analyzer_pb2.AnalyzeStackRequest(
        resources=[stack_resource(r, by_urn) for r in report.resources]
    )
    try:
        response = stub.AnalyzeStack(stack_request)
    except grpc.RpcError as error:
        raise pack.failure("failed in AnalyzeStack", error) from None
    violations, not_applicable = result_items(response, info.name, None, severities)
    # A stack diagnostic is shown on its URN only when that URN is a resource of this stack;
    # otherwise (none, another stack's, a typo) on the default root stack URN, which is built from
    # the stack and project names (AnalyzeResources in pkg/resource/deploy/step_generator.go:
    # `sg.deployment.news.get(d.URN)`, else `resource.DefaultRootStackURN`).
    stack, name = project.stack, project.name
    root = f"urn:pulumi:{stack}::{name}::{STACK_TYPE}::{name}-{stack}"
    report.violations.extend(replace(v, urn=v.urn if v.urn in by_urn else root) for v in violations)
    report.not_applicable.extend(not_applicable)


def _read_program(
    program_run: ProgramRun,
    project: Project,
    report: Report,
    *,
    by_urn: dict[str, Resource],
    analysis: SequentialAnalysis,
    failures: list[dict[str, Any]],
    logged_errors: list[str],
) -> None:
    """Record each registration and hand it to the analysis as the program produces it."""
    for record in program_run.records():
        kind = record["kind"]
        if kind == "resource":
            if record["urn"] in by_urn:
                raise GateError(_duplicate_urn(project, record, by_urn[record["urn"]]))
            _check_timeouts(record)
            resource = _resource(record)
            if may_hold_assets(record["inputs"]):
                _check_assets(resource, project)
            if resource.type == "pulumi:providers:aws" and not resource.inputs.get("region"):
                report.notes.append(
                    f"The provider {resource.name} has no region (aws:region is not set for the "
                    f"stack): the gate assumed {DEFAULT_REGION} for ARNs and invokes."
                )
            by_urn[resource.urn] = resource
            report.resources.append(resource)
            analysis.submit(resource)
        elif kind == "outputs" and record["urn"] in by_urn:
            by_urn[record["urn"]].outputs_struct = _decode(record["outputs"])
        elif kind == "log":
            if record["severity"] in ("error", "critical"):
                logged_errors.append(record["message"])
            else:
                report.notes.append(f"program {record['severity']}: {record['message']}")
        elif kind == "note":
            report.notes.append(record["message"])
        elif kind == "error":
            failures.append(record)
        elif kind == "invoke":
            position = SourcePosition(**record["sourcePosition"])
            report.built_documents.append(BuiltDocument(record["token"], record["text"], position))


def _decode(encoded: str) -> Struct:
    return Struct.FromString(base64.b64decode(encoded))


def _check_timeouts(record: dict[str, Any]) -> None:
    """The engine refuses a registration whose custom timeout is not a Go duration."""
    for which, text in (record["options"].get("customTimeouts") or {}).items():
        try:
            if text:
                parse_go_duration(text)
        except ValueError as err:
            raise GateError(
                f"The resource {record['urn']} has the custom timeout {which}={text!r}, which the "
                f"engine refuses: unable to parse customTimeout Value {text} ({err}). Use a Go "
                'duration such as "30s", "10m" or "1h30m".'
            ) from None


def _check_assets(resource: Resource, project: Project) -> None:
    """The engine hashes every file asset and archive on registration; a missing one fails it."""
    problems = list(asset_problems(MessageToDict(resource.inputs_struct), project.directory))
    if problems:
        raise GateError(
            f"The resource {resource.urn} cannot be registered: {'; '.join(problems)} (paths are "
            f"relative to the program directory {project.directory}). The engine fails the "
            "preview the same way, when it computes the asset's hash."
        )


def _resource(record: dict[str, Any]) -> Resource:
    position = record.get("sourcePosition")
    return Resource(
        urn=record["urn"],
        type=record["type"],
        name=record["name"],
        custom=record["custom"],
        inputs_struct=_decode(record["inputs"]),
        outputs_struct=_decode(record["outputs"]),
        parent=record["parent"],
        dependencies=record["dependencies"],
        property_dependencies=record["propertyDependencies"],
        provider=record["provider"],
        source_position=SourcePosition(**position) if position else None,
        options=record["options"],
        id=record["id"],
        default_provider=record.get("defaultProvider", False),
    )


def _program_path(project: Project) -> Path:
    main = project.main if project.main.is_file() else project.main / "__main__.py"
    return main.relative_to(project.directory) if project.directory in main.parents else main


def _duplicate_urn(project: Project, record: dict[str, Any], first: Resource) -> str:
    """The engine's refusal of a second registration under one URN, naming where both came from."""
    second = _resource(record)
    places = (_origin(first, project.directory), _origin(second, project.directory))
    default = next((r for r in (first, second) if r.default_provider), None)
    hint = (
        f" The engine names the default {default.type.rsplit(':', 1)[-1]} provider "
        f"'{default.name}': give the explicit provider another name."
        if default is not None
        else ""
    )
    return (
        f"The program {_program_path(project)} registers two resources with one URN "
        f"({places[0]}, then {places[1]}), which the engine refuses: Duplicate resource URN "
        f"'{record['urn']}'; try giving it a unique name.{hint}"
    )


def _origin(resource: Resource, directory: Path) -> str:
    """Where a registration came from: the program's file and line when the SDK says so."""
    if resource.default_provider:
        return "the engine's default provider"
    position = resource.source_position
    if position is not None and directory in Path(position.path).parents:
        return f"{Path(position.path).relative_to(directory)}:{position.line}"
    return f"a {resource.type} declared by the program"


def _program_failure(
    project: Project,
    failures: list[dict[str, Any]],
    logged_errors: list[str],
    status: int,
    printed: str,
) -> str:
    """One paragraph naming why the program did not finish, most specific cause first."""
    where = _program_path(project)
    specific = [f for f in failures if f["cause"] in ("invoke", "unsupported")]
    if specific:
        return f"The program {where} cannot run offline: {specific[0]['message']}"
    program_errors = [f for f in failures if f["cause"] == "program"]
    if program_errors:
        failure = program_errors[0]
        text = f"The program {where} raised {failure['exception']}"
        frame = failure.get("frame")
        if frame:
            text += f" at {frame['file']}, line {frame['line']}, in {frame['function']}" + (
                f": {frame['code']}" if frame["code"] else ""
            )
        hint = failure.get("hint")
        return text + "." + (f" {hint}." if hint else "")
    if logged_errors:
        return f"The program {where} logged an error: {logged_errors[0]}"
    tail = "\n  ".join(printed.strip().splitlines()[-15:])
    return f"The program {where} stopped with exit status {status} before finishing." + (
        f" Its output ends with:\n  {tail}" if tail else ""
    )
