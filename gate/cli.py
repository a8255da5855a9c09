"""``python -m gate``: the CLI over ``gate.run``; exit 0 pass, 1 mandatory violation, 2 error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import program
from .errors import GateError
from .lifetime import install_signal_handlers

_FORMATS = ("json", "junit", "sarif", "text")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gate" if sys.argv[0].endswith("__main__.py") else "pulumi-policy-gate",
        description=(
            "Run a Pulumi Python program on the SDK's mock engine and a CrossGuard policy pack "
            "over it, offline, like `pulumi preview --policy-pack`."
        ),
        epilog="Exit status: 0 no mandatory violation, 1 mandatory violations, 2 error.",
    )
    parser.add_argument("--program", default=".", help="the Pulumi project directory (default: .)")
    parser.add_argument(
        "--stack", default="dev", help="the stack whose config to use (default: dev)"
    )
    parser.add_argument(
        "--policy-pack", help="the policy pack directory (default: the pack bundled with the gate)"
    )
    parser.add_argument(
        "--policy-config",
        help="JSON file in `pulumi preview --policy-pack-config` format",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="leave computed outputs unknown, as in the first preview of a new stack",
    )
    parser.add_argument(
        "-c",
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a stack config value, as `pulumi preview -c` (repeatable; KEY without a "
        "namespace belongs to the project)",
    )
    parser.add_argument(
        "--secret",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a stack config value the program receives as a secret (repeatable)",
    )
    parser.add_argument(
        "--invoke-answers",
        metavar="FILE",
        help="JSON of recorded provider function results, keyed by token (see docs/gate.md)",
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="the report's format (default: text; sarif for code scanning, junit for test UIs)",
    )
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write the report to FILE instead of stdout (the summary line goes to stderr)",
    )
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        type=_extra_report,
        metavar="FORMAT=FILE",
        help="also write the report in FORMAT to FILE, from the same run (repeatable), "
        "e.g. --also sarif=gate.sarif",
    )
    return parser


def _extra_report(value: str) -> tuple[str, str]:
    """``FORMAT=FILE`` of ``--also``; argparse turns the ValueError into a usage error (exit 2)."""
    fmt, sep, path = value.partition("=")
    if not sep or fmt not in _FORMATS or not path:
        raise argparse.ArgumentTypeError(
            f"'{value}' must be FORMAT=FILE with FORMAT one of {', '.join(_FORMATS)}"
        )
    return fmt, path


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as err:
        raise GateError(f"Cannot write the report to {path}: {err.strerror}.") from err


def _project_warnings(program_dir: str, stack: str) -> list[str]:
    """What the run differed in from what was asked (no stack file), for an exit-2 message.

    A program that fails on a missing stack file's config (``aws:region is required``) then
    says why its config was empty, after the one ``error:`` paragraph.
    """
    from .project import load_project  # noqa: PLC0415 (only on the error path)

    try:
        return load_project(program_dir, stack).warnings
    except GateError:
        return []


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    install_signal_handlers()
    program.prewarm()  # the program's interpreter imports the SDKs while this one imports gRPC
    from .api import run  # noqa: PLC0415 (after the prewarm, on purpose)
    from .render import RENDERERS, summary_line  # noqa: PLC0415

    try:
        report = run(
            program=args.program,
            stack=args.stack,
            policy_pack=args.policy_pack,
            policy_config=args.policy_config,
            fresh=args.fresh,
            config=args.config,
            secrets=args.secret,
            invoke_answers=args.invoke_answers,
        )
        rendered = RENDERERS[args.format](report)
        for fmt, path in args.also:
            _write(path, RENDERERS[fmt](report))
        if args.output:
            _write(args.output, rendered)
            for warning in report.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            print(summary_line(report), file=sys.stderr)
        else:
            sys.stdout.write(rendered)
    except GateError as err:
        print(f"error: {err}", file=sys.stderr)
        for warning in _project_warnings(args.program, args.stack):
            print(f"warning: {warning}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted.", file=sys.stderr)
        return 2
    except Exception as err:  # never a bare traceback: say what broke and where to report it
        print(
            f"error: the gate failed internally ({type(err).__name__}: {err}). This is a bug in "
            "gate/, not in your program or pack; please report it with this message.",
            file=sys.stderr,
        )
        return 2
    return report.exit_code
