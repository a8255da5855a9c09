"""Reads a Pulumi project the way the CLI does: ``Pulumi.yaml``, ``Pulumi.<stack>.yaml``, config."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .errors import GateError
from .interpreter import Interpreter, resolve_interpreter

SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270"
SECRET_PLACEHOLDER = "[secret]"
"""What a ``secure:`` stack value becomes: the gate has no key to decrypt it."""

_STACK_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


@dataclass(frozen=True)
class Project:
    """A Pulumi project and one of its stacks, with the config the engine would hand the program."""

    name: str
    stack: str
    directory: Path
    main: Path
    interpreter: Interpreter
    config: dict[str, str]
    secret_keys: list[str]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the run differs from what was asked
    description: str | None = None
    organization: str = "organization"

    @property
    def python(self) -> str:
        """The program's interpreter (see ``gate.interpreter``)."""
        return self.interpreter.python

    def package_config(self, package: str) -> dict[str, Any]:
        """A default provider's inputs, as the engine builds them from the ``package:*`` keys.

        Every value is the config's string (objects and lists as their JSON text) and a
        ``secure:`` value is a secret, as in the engine's ``Target.GetPackageConfig``.
        """
        prefix = package + ":"
        return {
            key[len(prefix) :]: _secret(value) if key in self.secret_keys else value
            for key, value in sorted(self.config.items())
            if key.startswith(prefix)
        }

    def dynamic_provider_config(self) -> dict[str, Any]:
        """The ``pulumi-python`` dynamic provider's inputs: every key, namespace kept."""
        return {
            key: _secret(value) if key in self.secret_keys else value
            for key, value in sorted(self.config.items())
        }


def load_project(program: str | Path, stack: str) -> Project:
    """Load the project in ``program`` and the config of ``stack``; GateError when unusable."""
    directory = Path(program).resolve()
    if not directory.is_dir():
        raise GateError(f"Program directory '{program}' does not exist or is not a directory.")
    project_file = _find_project_file(directory)
    document = _read_yaml(project_file, "project file")
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise GateError(
            f"{project_file} must be a mapping with a string 'name:' (the project name)."
        )
    name: str = document["name"]
    runtime = document.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise GateError(
            f"{project_file} declares runtime '{runtime_name}'; the gate runs Python programs "
            "only (runtime: python)."
        )
    stack_name = _stack_name(stack)
    notes: list[str] = []
    warnings: list[str] = []
    config, secret_keys = _project_config(document.get("config"), name, project_file)
    stack_dir = directory / str(document.get("stackConfigDir", "."))
    stack_file = stack_dir / f"Pulumi.{stack_name}.yaml"
    if stack_file.exists():
        stack_config, stack_secrets = _stack_config(stack_file, name)
        config.update(stack_config)
        secret_keys = sorted(set(secret_keys) | set(stack_secrets))
    else:
        warnings.append(
            f"No stack file {stack_file.name} for stack '{stack_name}' in {stack_dir}: the "
            "program ran with an empty stack config, as after a fresh `pulumi stack init`. "
            "Check --stack if you meant an existing stack."
        )
    if secret_keys:
        notes.append(_secret_note(secret_keys))
    main = _main_path(directory, document.get("main"), project_file)
    description = document.get("description")
    return Project(
        name=name,
        stack=stack_name,
        organization=_organization(stack),
        directory=directory,
        main=main,
        interpreter=resolve_interpreter(
            directory, main if main.is_dir() else main.parent, runtime, project_file
        ),
        config=config,
        secret_keys=secret_keys,
        notes=notes,
        warnings=warnings,
        description=description if isinstance(description, str) else None,
    )


def with_cli_config(
    project: Project, values: Sequence[str] = (), secrets: Sequence[str] = ()
) -> Project:
    """The project with ``-c/--config KEY=VALUE`` and ``--secret KEY=VALUE`` applied.

    As ``pulumi preview -c`` does, a value given on the command line overrides the stack file's,
    and a key without a namespace belongs to the project (``config.ParseKey``). A ``--secret``
    value is known (it was typed, not encrypted), so the program gets it, marked secret.
    """
    if not values and not secrets:
        return project
    config = dict(project.config)
    secret_keys = set(project.secret_keys)
    for entry, secret in [(v, False) for v in values] + [(v, True) for v in secrets]:
        option = "--secret" if secret else "-c/--config"
        key, equals, value = entry.partition("=")
        if not equals or not key or key.count(":") > 1 or key.startswith(":"):
            raise GateError(
                f"{option} {entry!r} must be KEY=VALUE with KEY as 'name' (this project's "
                "namespace) or 'namespace:name', e.g. -c aws:region=eu-west-1."
            )
        full = _full_key(key, project.name)
        config[full] = value
        if secret:
            secret_keys.add(full)
        else:
            secret_keys.discard(full)
    placeholders = [k for k in sorted(secret_keys) if config.get(k) == SECRET_PLACEHOLDER]
    notes = [n for n in project.notes if not n.startswith("Secret config values cannot")]
    if placeholders:
        notes.append(_secret_note(placeholders))
    return replace(project, config=config, secret_keys=sorted(secret_keys), notes=notes)


def _secret_note(keys: list[str]) -> str:
    return (
        "Secret config values cannot be decrypted offline; the program saw the placeholder "
        f"'{SECRET_PLACEHOLDER}' (as a secret) for: {', '.join(keys)}."
    )


def _find_project_file(directory: Path) -> Path:
    for candidate in ("Pulumi.yaml", "Pulumi.yml"):
        if (directory / candidate).is_file():
            return directory / candidate
    raise GateError(
        f"No Pulumi.yaml in {directory}: --program must name a Pulumi project directory."
    )


def _read_yaml(path: Path, what: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise GateError(f"Cannot read the {what} {path}: {err.strerror or err}.") from err
    except yaml.YAMLError as err:
        raise GateError(f"The {what} {path} is not valid YAML: {err}".rstrip(".") + ".") from err


def _organization(stack: str) -> str:
    """The organization a qualified stack name (``org/stack``, ``org/project/stack``) names.

    The engine hands it to the program (``pulumi.get_organization()``, the ``${organization}`` of
    an autonaming pattern) and to the pack (``PULUMI_ORGANIZATION``, ``ConfigureStack``); an
    unqualified name is the DIY backends' only organization, ``organization``.
    """
    if "/" not in stack:
        return "organization"
    organization = stack.split("/", 1)[0]
    if not _STACK_NAME_RE.match(organization):
        raise GateError(
            f"Invalid stack name '{stack}': the organization '{organization}' must be letters, "
            "digits, '-', '_' or '.' (a stack is named 'stack', 'org/stack' or "
            "'org/project/stack')."
        )
    return organization


def _stack_name(stack: str) -> str:
    short = stack.rsplit("/", 1)[-1]
    if not _STACK_NAME_RE.match(short):
        raise GateError(
            f"Invalid stack name '{stack}': use letters, digits, '-', '_' or '.' (at most 100)."
        )
    return short


def _main_path(directory: Path, main: Any, project_file: Path) -> Path:
    if main is None:
        path = directory
    elif isinstance(main, str):
        path = (directory / main).resolve()
    else:
        raise GateError(f"{project_file}: 'main:' must be a path, not {main!r}.")
    entry = path / "__main__.py" if path.is_dir() else path
    if not entry.is_file():
        raise GateError(
            f"The program entry point {entry} does not exist (from 'main:' in {project_file.name}"
            " or the project directory)."
        )
    return path


def _full_key(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _encode(value: Any) -> str:
    """Config values reach the program as strings; objects and lists as JSON (as the CLI does)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)  # as Go marshals maps
    return str(value)


def _secret(value: str) -> dict[str, str]:
    """The engine's wire form of a secret value."""
    return {SECRET_SIGNATURE_KEY: SECRET_SIGNATURE, "value": value}


def _project_config(
    declared: Any, project: str, project_file: Path
) -> tuple[dict[str, str], list[str]]:
    """Defaults and values declared in Pulumi.yaml's ``config:`` block."""
    if declared is None:
        return {}, []
    if not isinstance(declared, dict):
        raise GateError(f"{project_file}: 'config:' must be a mapping of config keys.")
    config: dict[str, str] = {}
    for key, spec in declared.items():
        full = _full_key(str(key), project)
        if isinstance(spec, dict) and ("default" in spec or "value" in spec):
            config[full] = _encode(spec.get("value", spec.get("default")))
        elif isinstance(spec, dict):
            continue  # a declaration without a default: the stack file must set it
        elif spec is not None:
            config[full] = _encode(spec)
    return config, []


def _stack_config(stack_file: Path, project: str) -> tuple[dict[str, str], list[str]]:
    document = _read_yaml(stack_file, "stack file")
    if document is None:
        return {}, []
    if not isinstance(document, dict):
        raise GateError(f"The stack file {stack_file} must be a mapping (with a 'config:' key).")
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise GateError(f"The stack file {stack_file}: 'config:' must be a mapping.")
    config: dict[str, str] = {}
    secrets: list[str] = []
    for key, value in raw.items():
        full = _full_key(str(key), project)
        if ":" in str(key) and str(key).count(":") > 1:
            raise GateError(f"The stack file {stack_file}: invalid config key '{key}'.")
        plain, secret = _strip_secure(value)
        config[full] = _encode(plain)
        if secret:
            secrets.append(full)
    return config, secrets


def _strip_secure(value: Any) -> tuple[Any, bool]:
    """Replace ``{secure: ...}`` (anywhere inside the value) by the placeholder."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER, True
        found = False
        out = {}
        for k, v in value.items():
            out[k], secret = _strip_secure(v)
            found = found or secret
        return out, found
    if isinstance(value, list):
        items = [_strip_secure(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False
