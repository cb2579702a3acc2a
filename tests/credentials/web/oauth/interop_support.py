"""Driving the npm OAuth client (tests/credentials/interop/oauth_client/client.mjs).

The client prints one JSON line per step; :class:`NodeClient` reads them, and tells it to go on
(one line on its stdin) once the learner has revoked its access.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path

from tests.credentials.interop import setup


class NodeClient:
    def __init__(self, discovery_url: str, credential_file: Path, content_type: str):
        folder = setup.ensure_node_package("oauth_client")
        self.process = subprocess.Popen(
            [
                setup.node(),
                str(folder / "client.mjs"),
                discovery_url,
                str(credential_file),
                content_type,
            ],
            cwd=folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def expect(self, event: str, timeout: float = 60) -> dict:
        """The next step's report, which must be ``event``."""
        line = self.lines.get(timeout=timeout)
        if line is None:
            raise AssertionError("the client stopped: " + self.process.stderr.read())
        report = json.loads(line)
        assert report["event"] == event, report
        return report

    def go_on(self) -> None:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
