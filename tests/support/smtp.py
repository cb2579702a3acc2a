"""A tiny SMTP server in a thread, for tests: it refuses (a 4xx or 5xx answer) or accepts.

``refuse`` says what to answer to MAIL FROM while the server refuses, e.g. ``"451 4.3.0 Try
again later"``; ``refusals`` how many messages to refuse before accepting (``None``: all).
Accepted messages are kept in ``messages`` (raw text); ``attempts`` counts every MAIL FROM.
"""

from __future__ import annotations

import socketserver
import threading


class SMTPStub:
    def __init__(self, refuse: str = "", refusals: int | None = None) -> None:
        self.refuse = refuse
        self.refusals = refusals
        self.attempts = 0
        self.messages: list[str] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                stub._session(self.rfile, self.wfile)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SMTPStub:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _refusing(self) -> bool:
        with self._lock:
            self.attempts += 1
            if not self.refuse:
                return False
            if self.refusals is None:
                return True
            if self.refusals > 0:
                self.refusals -= 1
                return True
            return False

    def _session(self, rfile, wfile) -> None:
        def say(line: str) -> None:
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        say("220 stub ESMTP")
        while line := rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250 stub")
            elif verb == "MAIL":
                say(self.refuse if self._refusing() else "250 OK")
            elif verb == "RCPT":
                say("250 OK")
            elif verb == "DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                body = []
                while (data := rfile.readline()) not in (b".\r\n", b".\n", b""):
                    body.append(data.decode("utf-8", "replace"))
                with self._lock:
                    self.messages.append("".join(body))
                say("250 OK queued")
            elif verb == "RSET" or verb == "NOOP":
                say("250 OK")
            elif verb == "QUIT":
                say("221 Bye")
                return
            else:
                say("502 Command not implemented")
