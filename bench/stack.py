"""The production stack on loopback, for benchmarks: PostgreSQL, Redis, gunicorn, a Celery worker.

A module, not a benchmark (`make bench` does not run it). ``bench/load.py`` and
``bench/issue.py`` use it::

    from bench.stack import ProductionStack

    with ProductionStack(web_workers=4, worker_concurrency=2) as stack:
        seed = stack.seed()                  # 200 courses, 5,000 enrolments, awards, a session
        stack.url                            # "http://127.0.0.1:<port>", gunicorn
        seed.urls["catalogue"], seed.cookie  # pages to load; the logged-in learner's Cookie header
        stack.python("print(Award.objects.count())", setup="from credentials.models import Award")
        stack.restart_web(DATABASE_CONN_MAX_AGE="0")   # same database, other web settings

What runs, each on a free port of 127.0.0.1, everything under one temporary directory:

- a PostgreSQL cluster made with ``initdb`` from Debian's ``/usr/lib/postgresql/*/bin`` (as the
  ``postgres`` user when run as root, as ``tests/support/postgres.py`` does). Durable by default
  (fsync and synchronous commits on, as in production); ``durable=False`` turns both off;
- ``redis-server`` without persistence: the cache (``REDIS_URL``, db 1) and the Celery broker and
  result backend (db 0);
- ``manage.py migrate`` and ``collectstatic`` (production's whitenoise
  CompressedManifestStaticFilesStorage), side by side. Both take minutes here, so the migrated
  cluster and the collected files are kept in ``var/bench-cache/`` keyed by what they are made
  of (migrations and models, static files, installed packages: ``schema_key()``,
  ``static_key()``) and reused while that is unchanged; ``cache=False`` always builds afresh in
  the temporary directory;
- gunicorn (``web_workers`` sync workers, ``web_threads`` threads each) serving
  ``bench.stacksite.settings``: ``cms.settings.production`` unchanged plus one bench-only URL,
  ``/__bench__/bare/`` (a view that does nothing: the ceiling through the same middleware);
- a Celery worker, prefork pool of ``worker_concurrency`` processes (``start_worker=False``
  leaves it out), no beat.

Production settings come from the environment as they would on a server: SECRET_KEY and
CREDENTIALS_KEY_SECRET (random for the run), SITE_URL, ALLOWED_HOSTS, SECURE_SSL_REDIRECT=false
(plain HTTP on loopback), DATABASE_URL, REDIS_URL, CELERY_BROKER_URL, EMAIL_BACKEND (locmem: sending
costs nothing), MEDIA_ROOT, VERIFY_RATE_LIMIT (raised: every request comes from one address).
``extra_env`` adds or overrides any of them for every process (e.g. ``DATABASE_CONN_MAX_AGE``).
``stack.env`` is the whole environment, for your own subprocesses.

``stack.python(code, setup="")`` runs Python in that environment after ``django.setup()`` and
returns what it printed. ``stack.seed()`` builds ``tests/learning/scale.build()`` (200 courses,
5,000 enrolments) and a few awards (signed and baked in-process), makes them public, opens a
session for the learner and returns a :class:`Seed`: the page URLs, the Cookie header, the award
ids and a baked OB 3.0 PNG fetched from the running site.

Teardown: leaving the ``with`` block stops every process this stack started (by their process
groups) and deletes the directory, also on an exception or Ctrl+C; an ``atexit`` hook covers a
forgotten ``stop()``, and SIGTERM (when nothing else handles it) becomes KeyboardInterrupt. Logs
are in ``stack.root / "logs"`` while it runs; a process that fails to start raises
:class:`StackError` with the end of its log.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.postgres import _bin_dir, _free_port  # noqa: E402

SETTINGS = "bench.stacksite.settings"
# A migrated PostgreSQL cluster and collectstatic's output are kept here between runs, keyed by
# what they are made from (schema_key, static_key): both take minutes on this machine.
CACHE = ROOT / "var" / "bench-cache"
BARE_PATH = "/__bench__/bare/"
# Variables of the caller's shell that would point the stack at another database or settings.
_INHERITED_OUT = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_",
    "COCREATE_TEST_",
    "CELERY_",
    "REDIS_URL",
    "SECRET_KEY",
    "CREDENTIALS_",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "EMAIL_",
    "MEDIA_ROOT",
)


def _digest(files: list[Path], *extra: str) -> str:
    digest = hashlib.sha256("\n".join(extra).encode())
    for path in sorted(set(files)):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _packages() -> str:
    """The installed distributions and their versions (their dist-info folders' names)."""
    site = Path(sysconfig.get_paths()["purelib"])
    return ",".join(sorted(p.name for p in site.glob("*.dist-info")))


def schema_key() -> str:
    """What a migrated database depends on: migrations, the code they import, the packages."""
    files = [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("*/models.py")]
    files += [*ROOT.glob("*/models/*.py"), *ROOT.glob("*/timezones.py")]
    return _digest(files, _packages(), str(_bin_dir()), "schema-1")


def static_key() -> str:
    """What collectstatic's output depends on: our static files, the packages' (by version)."""
    files = [p for p in ROOT.glob("static/**/*") if p.is_file()]
    files += [p for p in ROOT.glob("*/static/**/*") if p.is_file()]
    return _digest(files, _packages(), "static-1")


def _processes() -> dict[int, tuple[int, float, float]]:
    """Every process: pid → (parent pid, own CPU seconds, CPU seconds of its reaped children)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            own = (int(fields[11]) + int(fields[12])) / tick
            reaped = (int(fields[13]) + int(fields[14])) / tick
            found[int(entry.name)] = (int(fields[1]), own, reaped)
    return found


def _family(top: int, table: dict[int, tuple[int, float, float]]) -> set[int]:
    family, frontier = {top}, [top]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _own, _reaped) in table.items():
            if ppid == parent and pid not in family:
                family.add(pid)
                frontier.append(pid)
    return family & table.keys()


def cpu_seconds(top: int) -> float:
    """CPU time (user + system) used so far by process ``top`` and all its descendants, also
    those that have exited (a PostgreSQL backend per connection, say), from /proc."""
    table = _processes()
    return sum(table[pid][1] + table[pid][2] for pid in _family(top, table))


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _publish(building: Path, final: Path) -> None:
    """Move a finished cache entry into place and drop older entries of its kind."""
    kind = final.name.split("-")[0]
    for old in final.parent.glob(f"{kind}-*"):
        if old != final and not old.name.endswith(".tmp"):
            shutil.rmtree(old, ignore_errors=True)
    try:
        building.rename(final)
    except OSError:  # another run got there first
        shutil.rmtree(building, ignore_errors=True)


class StackError(RuntimeError):
    """A part of the stack did not start or a command in it failed."""


@dataclass
class Seed:
    """What ``ProductionStack.seed()`` made. URLs are paths; ``png`` is a baked OB 3.0 image."""

    urls: dict[str, str]
    cookie: str  # the Cookie header of the logged-in learner
    award_ids: list[str]
    png: bytes
    extra: dict = field(default_factory=dict)


_SEED = r"""
import json, time
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from credentials import services
from credentials.services.backpack import set_visibility
from credentials.models import BadgeClass
from tests.learning import scale

# Bench data, not the measured work: no waiting for the disk on each of its many commits.
connection.cursor().execute("SET synchronous_commit TO off")
started = time.perf_counter()
data = scale.build()
built = time.perf_counter() - started
first = BadgeClass.objects.get(slug="scale-badge")
badges = [first] + [
    BadgeClass.objects.create(
        issuer=first.issuer, slug=f"scale-badge-{n}", name=f"Scale badge {n}",
        description="Scale", criteria_narrative="Complete", status=BadgeClass.Status.PUBLISHED,
    )
    for n in range(1, AWARDS_PER_LEARNER)
]
learner = data.learner
awards = [services.award(badge, learner) for badge in badges]
awards += [services.award(first, f"someone{n}@scale.example") for n in range(OTHER_AWARDS)]
for award in awards[:AWARDS_PER_LEARNER]:
    set_visibility(award, True, by=learner)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(learner.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = learner.get_session_auth_hash()
store.save()
print("BENCH-SEED " + json.dumps({
    "built_s": built,
    "catalogue": data.catalogue.url,
    "course": data.course.url,
    "lesson": data.lesson.url,
    "institution": f"/institutions/{first.issuer.slug}/",
    "awards": [str(a.public_id) for a in awards],
    "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
}))
"""


class ProductionStack:
    """See the module's docstring. Use as a context manager, or call start() and stop()."""

    def __init__(
        self,
        *,
        web_workers: int = 4,
        web_threads: int = 1,
        worker_concurrency: int = 2,
        start_worker: bool = True,
        durable: bool = True,
        cache: bool = True,
        extra_env: dict[str, str] | None = None,
        verbose: bool = True,
    ) -> None:
        self.web_workers = web_workers
        self.web_threads = web_threads
        self.worker_concurrency = worker_concurrency
        self.start_worker = start_worker
        self.durable = durable
        self.cache = cache
        self.extra_env = dict(extra_env or {})
        self.verbose = verbose
        self.root: Path | None = None
        self.port = 0
        self.env: dict[str, str] = {}
        self._procs: dict[str, subprocess.Popen] = {}
        self._pg_data: Path | None = None
        self._stopped = True

    # -- life cycle ------------------------------------------------------------------------

    def __enter__(self) -> ProductionStack:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _say(self, message: str) -> None:
        if self.verbose:
            print(f"[stack {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def start(self) -> ProductionStack:
        self._stopped = False
        atexit.register(self.stop)
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        ):
            signal.signal(signal.SIGTERM, _interrupt)  # `kill` tears down as Ctrl+C does
        self.root = Path(tempfile.mkdtemp(prefix="bench-stack-"))
        (self.root / "logs").mkdir()
        started = time.perf_counter()
        pg_port, redis_port, self.port = _free_port(), _free_port(), _free_port()
        template = CACHE / f"pg-{schema_key()}" if self.cache else None
        fresh = template is None or not template.exists()
        self._start_postgres(pg_port, None if fresh else template)
        self._start_redis(redis_port)
        redis = f"redis://127.0.0.1:{redis_port}"
        static = CACHE / f"static-{static_key()}" if self.cache else self.root / "static"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_OUT)},
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "CREDENTIALS_KEY_SECRET": secrets.token_urlsafe(48),
            "SITE_URL": self.url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/cocreate",
            "REDIS_URL": f"{redis}/1",
            "CELERY_BROKER_URL": f"{redis}/0",
            "CELERY_RESULT_BACKEND": f"{redis}/0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "MEDIA_ROOT": str(self.root / "media"),
            "BENCH_STATIC_ROOT": str(static),
            "VERIFY_RATE_LIMIT": "100000000",
            "LOG_LEVEL": "WARNING",
            **self.extra_env,
        }
        waiting = []
        if fresh:
            self._say("migrate")
            cmd = [sys.executable, "manage.py", "migrate", "--no-input"]
            waiting.append(("migrate", self._spawn("migrate", cmd), None))
        if not static.exists():
            self._say("collectstatic (compressing every file takes minutes once)")
            building = static.with_name(f"{static.name}.{os.getpid()}.tmp")
            cmd = [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"]
            env = {**self.env, "BENCH_STATIC_ROOT": str(building)}
            waiting.append(("collectstatic", self._spawn("collectstatic", cmd, env), building))
        for name, proc, building in waiting:
            if proc.wait(timeout=1800) != 0:
                raise StackError(f"{name} failed:\n{self._log_tail(name)}")
            del self._procs[name]
            if building is not None:
                _publish(building, static)
        if fresh and template is not None:
            self._save_template(template)
        self._start_web(wait=False)
        if self.start_worker:  # both boot at once; the worker is pinged once the web answers
            self._start_worker()
        self._wait_web()
        if self.start_worker:
            self._ping_worker()
        self._say(f"ready at {self.url} in {time.perf_counter() - started:.0f} s")
        return self

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for name in reversed(list(self._procs)):
            self._end(name)
        if self._pg_data is not None:
            subprocess.run(
                self._as_postgres(
                    [str(_bin_dir() / "pg_ctl"), "-D", str(self._pg_data), "-m", "immediate"]
                    + ["-w", "stop"]
                ),
                capture_output=True,
                check=False,
            )
            self._pg_data = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def restart_web(self, **env: str) -> None:
        """Stop gunicorn, set ``env`` for it (and for later processes), start it again."""
        self._end("gunicorn")
        self._answered: set[bytes] = set()
        self.env.update(env)
        self._start_web()

    # -- using it --------------------------------------------------------------------------

    def python(self, code: str, *, setup: str = "", timeout: float = 900) -> str:
        """Run ``code`` in the stack's environment after django.setup(); return its stdout."""
        script = f"import django\ndjango.setup()\n{setup}\n{code}"
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"stack.python failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def seed(self, *, awards_per_learner: int = 3, other_awards: int = 5) -> Seed:
        """The data set of bench/pages.py, awards and a learner's session (see the docstring).

        Awards are signed and baked in the seeding process (tasks eager there), so they exist
        before the load starts whatever the worker is doing.
        """
        self._say("seeding 200 courses, 5,000 enrolments, awards")
        code = _SEED.replace("AWARDS_PER_LEARNER", str(awards_per_learner)).replace(
            "OTHER_AWARDS", str(other_awards)
        )
        saved = dict(self.env)
        self.env["CELERY_TASK_ALWAYS_EAGER"] = "true"
        try:
            out = self.python(code)
        finally:
            self.env = saved
        line = next(x for x in out.splitlines() if x.startswith("BENCH-SEED "))
        made = json.loads(line.removeprefix("BENCH-SEED "))
        award = made["awards"][0]
        urls = {
            "catalogue": made["catalogue"],
            "course": made["course"],
            "lesson": made["lesson"],
            "institution": made["institution"],
            "dashboard": "/learning/",
            "backpack": "/credentials/mine/",
            "credential": f"/credentials/{award}/",
            "ob2": f"/credentials/{award}/assertion.json",
            "ob3": f"/credentials/{award}/credential.json",
            "png": f"/credentials/{award}/badge-ob3.png",
            "verify": "/api/v1/verify",
            "bare": BARE_PATH,
        }
        status, png = self.get(urls["png"], cookie=f"{made['cookie']}")
        if status != 200:
            raise StackError(f"GET {urls['png']} answered {status}")
        self._say(f"seeded in {made['built_s']:.0f} s (data set)")
        return Seed(urls=urls, cookie=made["cookie"], award_ids=made["awards"], png=png)

    def process_ids(self) -> dict[str, int]:
        """The top process of each part: ``web`` (gunicorn's master), ``db`` (the postmaster),
        ``worker`` (Celery's main process), ``redis``. Their children do the work."""
        found = {name: self._procs[name].pid for name in ("redis", "celery", "gunicorn")
                 if name in self._procs}  # fmt: skip
        found["web"] = found.pop("gunicorn", 0)
        found["worker"] = found.pop("celery", 0)
        if self._pg_data is not None:
            found["db"] = int((self._pg_data / "postmaster.pid").read_text().split()[0])
        return found

    def get(self, path: str, *, cookie: str = "") -> tuple[int, bytes]:
        """One GET to the running site: (status, body)."""
        request = urllib.request.Request(self.url + path, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    # -- the parts -------------------------------------------------------------------------

    def _as_postgres(self, cmd: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd

    def _pg(self, *cmd: str) -> None:
        assert self.root is not None
        result = subprocess.run(
            self._as_postgres([str(_bin_dir() / cmd[0]), *cmd[1:]]),
            capture_output=True, text=True, cwd=self.root / "pg",
        )  # fmt: skip
        if result.returncode != 0:
            raise StackError(f"{cmd[0]} failed:\n{result.stdout}{result.stderr}")

    def _start_postgres(self, port: int, template: Path | None) -> None:
        assert self.root is not None
        pg_root = self.root / "pg"
        pg_root.mkdir()
        if os.geteuid() == 0:
            shutil.chown(pg_root, "postgres", "postgres")
            self.root.chmod(0o755)
        pg_root.chmod(0o700)
        data = pg_root / "data"
        self._pg_options = (
            f"-p {port} -k {pg_root} -c listen_addresses=127.0.0.1 -c max_connections=100"
            " -c shared_buffers=128MB"
        )
        if not self.durable:
            self._pg_options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if template is not None:
            self._say(f"PostgreSQL: the migrated cluster of {template.relative_to(ROOT)}")
            subprocess.run(["cp", "-a", str(template / "data"), str(data)], check=True)
        else:
            self._say("PostgreSQL: initdb")
            self._pg("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync",
                     "-E", "UTF8", "--locale=C")  # fmt: skip
        self._pg_data = data
        self._pg_ctl_start()
        if template is None:
            self._pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "cocreate")

    def _pg_ctl_start(self) -> None:
        assert self.root is not None and self._pg_data is not None
        log = str(self.root / "pg" / "server.log")
        self._pg("pg_ctl", "-D", str(self._pg_data), "-o", self._pg_options, "-l", log,
                 "-w", "-t", "60", "start")  # fmt: skip

    def _save_template(self, template: Path) -> None:
        """Keep the freshly migrated cluster (stopped cleanly) for the next run."""
        assert self._pg_data is not None
        self._pg("pg_ctl", "-D", str(self._pg_data), "-m", "fast", "-w", "stop")
        building = template.with_name(f"{template.name}.{os.getpid()}.tmp")
        building.mkdir(parents=True)
        subprocess.run(["cp", "-a", str(self._pg_data), str(building / "data")], check=True)
        _publish(building, template)
        self._pg_ctl_start()

    def _start_redis(self, port: int) -> None:
        cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        cmd += ["--appendonly", "no", "--daemonize", "no"]
        self._spawn("redis", cmd, env=os.environ.copy())

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        self._wait("redis", answers)

    def _start_web(self, wait: bool = True) -> None:
        self._say(f"gunicorn: {self.web_workers} workers × {self.web_threads} threads")
        cmd = [sys.executable, "-m", "gunicorn", "cms.wsgi:application"]
        cmd += ["--workers", str(self.web_workers), "--threads", str(self.web_threads)]
        cmd += ["--bind", f"127.0.0.1:{self.port}", "--backlog", "2048"]
        cmd += ["--worker-tmp-dir", "/dev/shm", "--log-level", "warning"]
        self._spawn("gunicorn", cmd)
        if wait:
            self._wait_web()

    def _wait_web(self) -> None:
        def answers() -> bool:
            try:
                return self.get(BARE_PATH)[0] == 200
            except OSError:
                return False

        self._wait("gunicorn", answers)

        # Without --preload each worker imports the site itself: wait until every one has
        # booted and gone quiet, or the first measurement pays for the others' start-up.
        def booted() -> bool:
            table = _processes()
            workers = _family(self._procs["gunicorn"].pid, table) - {self._procs["gunicorn"].pid}
            before = sum(table[pid][1] for pid in workers)
            time.sleep(1)
            after = sum(v[1] for pid, v in _processes().items() if pid in workers)
            return len(workers) >= self.web_workers and after - before < 0.05 * len(workers)

        self._wait("gunicorn", booted, timeout=300)
        self._wait("gunicorn", self._every_worker_answered, timeout=300)

    def _every_worker_answered(self) -> bool:
        """Each worker imports the URLconf (every view module) on its first request: make every
        one answer the bare view (it returns its pid), so that no measurement pays for that."""
        with ThreadPoolExecutor(max_workers=4 * self.web_workers) as pool:
            answers = list(pool.map(lambda _: self.get(BARE_PATH), range(8 * self.web_workers)))
        self._answered = getattr(self, "_answered", set()) | {
            body for status, body in answers if status == 200
        }  # fmt: skip
        workers = _family(self._procs["gunicorn"].pid, _processes())
        return {str(pid).encode() for pid in workers} <= self._answered | {
            str(self._procs["gunicorn"].pid).encode()
        }

    def _start_worker(self) -> None:
        self._say(f"Celery worker: prefork, -c {self.worker_concurrency}")
        cmd = [sys.executable, "-m", "celery", "-A", "cms", "worker", "--pool=prefork"]
        cmd += [f"--concurrency={self.worker_concurrency}", "--loglevel=WARNING"]
        self._spawn("celery", cmd)

    def _ping_worker(self) -> None:
        nonce = secrets.token_hex(4)
        self.python(
            f"from cms.celery import app\n"
            f"print(app.send_task('cms.ping', args=['{nonce}']).get(timeout=120))",
            timeout=180,
        )

    # -- processes -------------------------------------------------------------------------

    def _spawn(self, name: str, cmd: list[str], env: dict | None = None) -> subprocess.Popen:
        assert self.root is not None
        log = (self.root / "logs" / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        log.close()
        self._procs[name] = proc
        return proc

    def _log_tail(self, name: str) -> str:
        if self.root is None:
            return ""
        path = self.root / "logs" / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def _wait(self, name: str, ready, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._procs[name].poll() is not None:
                raise StackError(f"{name} exited:\n{self._log_tail(name)}")
            if ready():
                return
            time.sleep(0.2)
        raise StackError(f"{name} not ready after {timeout:.0f} s:\n{self._log_tail(name)}")

    def _end(self, name: str) -> None:
        proc = self._procs.pop(name, None)
        if proc is None:
            return
        for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(proc.pid, sig)  # the process group this stack started
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=grace)
                break
            except subprocess.TimeoutExpired:
                continue
