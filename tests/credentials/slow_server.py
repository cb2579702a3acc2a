"""Raw-socket HTTP servers on 127.0.0.1 that misbehave on purpose (credentials.verify.network).

Each accepted connection is handed to a behaviour ``behaviour(conn, server)`` in its own daemon
thread; behaviours poll ``server.stopped`` so :meth:`SlowServer.stop` ends every thread and
closes every socket, whatever the client did.  A behaviour never runs longer than
``DRIBBLE_SECONDS``, so even a fetch with no deadline at all ends eventually.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable

DRIBBLE_SECONDS = 8.0  # how long a dribbling server keeps going (far past any test's timeout)
DRIBBLE_EVERY = 0.2  # seconds between two dribbled bytes

Behaviour = Callable[[socket.socket, "SlowServer"], None]


class SlowServer:
    """Listens on 127.0.0.1 and runs ``behaviour`` for every connection."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.stopped = threading.Event()
        self.accepted = threading.Semaphore(0)  # released once per accepted connection
        self.release = threading.Event()  # lets a holding behaviour answer
        self._connections: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name="slow-server")
        self._thread.start()

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def wait_for_connection(self, timeout: float = 5.0) -> bool:
        return self.accepted.acquire(timeout=timeout)

    def _accept_loop(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            conn.settimeout(None)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._connections.append(conn)
                self._threads.append(thread)
            thread.start()
            self.accepted.release()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self.behaviour(conn, self)
        except OSError:
            pass  # the client went away: that is how most of these conversations end
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def stop(self) -> None:
        self.stopped.set()
        self.release.set()
        self._thread.join(5)
        self.listener.close()
        with self._lock:
            connections, threads = list(self._connections), list(self._threads)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in threads:
            thread.join(5)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.close()

    def __enter__(self) -> SlowServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def read_request(conn: socket.socket) -> bytes:
    """Read the request head (up to the blank line); the fetcher never sends a body."""
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    conn.settimeout(None)
    return data


def _dribble(conn: socket.socket, server: SlowServer, payload: bytes) -> None:
    """Send ``payload`` one byte every DRIBBLE_EVERY seconds, for DRIBBLE_SECONDS at most."""
    ends = time.monotonic() + DRIBBLE_SECONDS
    for byte in payload:
        if time.monotonic() >= ends or server.stopped.wait(DRIBBLE_EVERY):
            return
        conn.sendall(bytes([byte]))


def dribble_body(conn: socket.socket, server: SlowServer) -> None:
    """Status line and headers at once, then the body one byte at a time."""
    read_request(conn)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    _dribble(conn, server, b"x" * 1000)


def dribble_headers(conn: socket.socket, server: SlowServer) -> None:
    """The status line and header lines one byte at a time."""
    read_request(conn)
    _dribble(conn, server, b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"y" * 1000 + b"\r\n\r\n")


def silent(conn: socket.socket, server: SlowServer) -> None:
    """Accept, read the request, never answer."""
    read_request(conn)
    server.stopped.wait(DRIBBLE_SECONDS)


def many_headers(count: int, size: int) -> Behaviour:
    """``count`` header lines of about ``size`` bytes each, sent at once, then a tiny body."""

    def serve(conn: socket.socket, server: SlowServer) -> None:
        read_request(conn)
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
        head += b"".join(b"X-Filler-%03d: %s\r\n" % (n, b"z" * size) for n in range(count))
        with contextlib.suppress(OSError):
            conn.sendall(head + b"\r\n{}")
        server.stopped.wait(2)

    return serve


def answer(conn: socket.socket, server: SlowServer) -> None:
    """A well-behaved server: answers ``{}`` at once."""
    read_request(conn)
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
    )


def hold_then_answer(conn: socket.socket, server: SlowServer) -> None:
    """Read the request, wait until ``server.release`` is set, then answer ``{}``."""
    read_request(conn)
    if not server.release.wait(DRIBBLE_SECONDS) or server.stopped.is_set():
        return
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: 2\r\nConnection: close\r\n\r\n{}"
    )


def tls(behaviour: Behaviour, context: ssl.SSLContext) -> Behaviour:
    """The same behaviour behind a TLS handshake (server side, ``context`` holds the cert)."""

    def serve(conn: socket.socket, server: SlowServer) -> None:
        conn.settimeout(5)
        secure = context.wrap_socket(conn, server_side=True)
        secure.settimeout(None)
        try:
            behaviour(secure, server)
        finally:
            with contextlib.suppress(OSError):
                secure.close()

    return serve


def self_signed_tls(host: str = "127.0.0.1") -> tuple[ssl.SSLContext, str]:
    """A server SSLContext with a fresh self-signed certificate for ``host``, and its PEM."""
    import datetime
    import ipaddress
    import os
    import tempfile

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as folder:
        cert_path, key_path = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
        with open(cert_path, "wb") as handle:
            handle.write(cert_pem)
        with open(key_path, "wb") as handle:
            handle.write(key_pem)
        context.load_cert_chain(cert_path, key_path)
    return context, cert_pem.decode()
