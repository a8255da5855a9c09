"""A warm interpreter that forks one child per program run.

Every run needs a fresh interpreter (the Pulumi runtime keeps global state; programs chdir and
import their own modules), but importing the Pulumi SDK and the AWS provider SDK costs most of a
small run. The zygote imports them once, then forks a child per job: the child starts with those
modules loaded and nothing else, runs ``program_child.run_job`` and exits. After each run the
zygote also imports the provider modules that program used, so the next program finds them loaded.

It serves one parent process over a Unix socket pair and exits when the parent goes away.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import sys

_MAX_MESSAGE = 1 << 22


def serve(fd: int) -> None:
    """The zygote's loop: a job (with its two file descriptors) in, a child's pid out."""
    from gate import program_child  # noqa: PLC0415 (imported in the zygote only)
    from gate.lifetime import die_with_parent  # noqa: PLC0415

    _preload(["pulumi_aws"])

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    connection = socket.socket(fileno=fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(connection, _MAX_MESSAGE, 2)
        except OSError:
            break
        if not message:
            break
        request = json.loads(message)
        if request["kind"] == "preload":
            _preload(request["modules"])
            continue
        pid = os.fork()
        if pid == 0:
            die_with_parent()  # the program dies with the zygote, which dies with the gate
            os.setpgid(0, 0)  # a group of its own, killed after the run (gate.lifetime)
            connection.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            records_fd, output_fd = fds
            os.dup2(output_fd, 1)
            os.dup2(output_fd, 2)
            os.close(output_fd)
            os.environ.clear()
            os.environ.update(request["env"])
            program_child.run_job(request["job"], records_fd)  # exits the child
        for descriptor in fds:
            os.close(descriptor)
        connection.send(json.dumps({"pid": pid}).encode())
    os._exit(0)


def _preload(modules: list[str]) -> None:
    """Execute the provider packages a program used, so the next program finds them loaded.

    pulumi_aws registers every service package as a lazy module; importing a submodule of one
    that has not executed yet leaves the package half-initialised (``aws.s3.AccessPoint``
    missing). So only whole packages are loaded, through their own ``__init__``, and only those
    a program really executed: a lazy stub has no submodules in the list.
    """
    packages = {"pulumi_aws"} | {
        ".".join(parts[:2])
        for parts in (name.split(".") for name in modules)
        if parts[0] == "pulumi_aws" and len(parts) > 2
    }
    for name in sorted(packages, key=len):
        try:
            module = importlib.import_module(name)
            getattr(module, "__doc__", None)  # runs a lazy module's __init__ now
        except Exception:  # a module that fails to import is simply not warm
            continue


if __name__ == "__main__":
    serve(int(sys.argv[1]))
