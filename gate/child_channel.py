"""The pipe from a program's child interpreter to the gate: one JSON record per line.

The child (``gate.program_child``) writes every registration, log line, note and error as a record;
the parent (``gate.program``) reads them while the program runs.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from typing import Any, TextIO


class Channel:
    """The pipe to the parent: one JSON object per line, written atomically across threads.

    Lines are buffered and reach the pipe in blocks (every system call from an executor thread
    hands the GIL back and forth); errors and the final record are flushed at once.
    """

    BUFFER = 1 << 16

    def __init__(self, fd: int) -> None:
        self._stream: TextIO = os.fdopen(fd, "w", encoding="utf-8", buffering=self.BUFFER)
        self._lock = threading.Lock()

    def send(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":"))
        with self._lock:
            self._stream.write(line + "\n")
            if record["kind"] in ("error", "done"):
                self._stream.flush()


class LogToChannel(logging.Handler):
    """``pulumi.log`` from the program reaches the mock engine's logger; forward it."""

    def __init__(self, channel: Channel) -> None:
        super().__init__(level=logging.INFO)
        self.channel = channel

    def emit(self, record: logging.LogRecord) -> None:
        self.channel.send(
            {"kind": "log", "severity": record.levelname.lower(), "message": record.getMessage()}
        )
