"""Throughput and latency of the site's pages under load, on the production stack.

Starts the production stack on loopback (bench/stack.py: gunicorn with 4 workers, PostgreSQL,
Redis, a prefork Celery worker; 200 courses, 5,000 enrolments, a few awards) and drives a
bounded load with locust, headless and in-process: USERS concurrent users (32) without think
time, one endpoint after another, each with a short warm-up, then SECONDS of measurement. Prints
per endpoint: requests per second, p50/p95/p99 in ms, errors (any answer but 200, or a verify
verdict other than "valid", counts as one and is listed), the share of the bare view's req/s
(a view that does nothing, served by the same gunicorn and middleware), CPU time per request of
the web workers, PostgreSQL and the load client, and whether the issue's goal is met:
anonymous pages ≥ 10 % of the bare view, logged-in pages ≥ 5 %, hosted JSON ≥ 30 %, p99 under
200 ms for every endpoint, and no errors.

The load client runs on the same cores as the server: on a 2-core machine it takes a large
share of the CPU, most of all on the bare view, so every share is a lower bound of what a
separate client would see (the bare view's req/s is held down the most). Figures taken while
other work runs on the machine are noisy: compare within one run.

Environment: BENCH_LOAD_USERS (32), BENCH_LOAD_SECONDS (6), BENCH_LOAD_WARMUP (2),
BENCH_LOAD_ENDPOINTS (comma-separated names, default all), BENCH_WEB_WORKERS (4),
BENCH_WEB_THREADS (1: sync workers; more: gunicorn's gthread workers),
BENCH_WORKER_CONCURRENCY (2), BENCH_LOAD_CONN_AB (endpoint names: measure them again with
DATABASE_CONN_MAX_AGE=0 and =60 side by side, gunicorn restarted for each; default none),
BENCH_STACK_CACHE (1: reuse the migrated cluster and static files in var/bench-cache/).

Run: make bench   (or .venv/bin/python bench/load.py; needs `pip install -e ".[bench]"`)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = int(os.environ.get("BENCH_LOAD_USERS", "32"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "6"))
WARMUP = float(os.environ.get("BENCH_LOAD_WARMUP", "2"))
P99_GOAL_MS = 200

# name, label, method, URL key in Seed.urls, logged in, goal (share of the bare view's req/s)
ENDPOINTS = [
    ("bare", "bare Django view, same stack", "GET", "bare", False, None),
    ("catalogue", "catalogue", "GET", "catalogue", False, 0.10),
    ("course", "course page", "GET", "course", False, 0.10),
    ("institution", "institution page", "GET", "institution", False, 0.10),
    ("credential", "credential page", "GET", "credential", False, 0.10),
    ("lesson", "lesson (logged in)", "GET", "lesson", True, 0.05),
    ("dashboard", "dashboard (logged in)", "GET", "dashboard", True, 0.05),
    ("backpack", "backpack (logged in)", "GET", "backpack", True, 0.05),
    ("ob2", "hosted OB 2.0 assertion JSON", "GET", "ob2", False, 0.30),
    ("ob3", "OB 3.0 credential JSON", "GET", "ob3", False, 0.30),
    ("verify", "verify API, baked PNG (POST)", "POST", "verify", False, None),
]


# --- the load client (a child process: locust patches the standard library with gevent) ---


def _own_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu(pids: dict[str, int]) -> tuple[float, float, float]:
    from bench.stack import cpu_seconds

    return cpu_seconds(pids["web"]), cpu_seconds(pids["db"]), _own_cpu()


def _visitor(host: str, name: str, method: str, path: str, headers: dict, body: bytes | None):
    """A locust user that requests one endpoint over and over, without think time."""
    from locust import FastHttpUser, constant, task

    class Visitor(FastHttpUser):
        wait_time = constant(0)

        @task
        def visit(self) -> None:
            with self.client.request(
                method, path, name=name, data=body, headers=headers,
                allow_redirects=False, catch_response=True,
            ) as response:  # fmt: skip
                if response.status_code != 200:
                    where = response.headers.get("Location", "") if response.headers else ""
                    response.failure(f"HTTP {response.status_code} {where}".strip())
                elif method == "POST":
                    verdict = json.loads(response.content).get("status")
                    if verdict != "valid":
                        response.failure(f"verdict {verdict}")

    Visitor.host = host
    return Visitor


def _drain(url: str) -> None:
    """Wait until the server has answered what the stopped users left queued.

    Stopping the users closes their sockets, but the requests already in gunicorn's backlog
    are still served, one after another: the next endpoint would wait behind them. A request
    to the bare view queues behind them too, so its answer means the backlog is gone.
    """
    import urllib.request

    for _ in range(3):
        with urllib.request.urlopen(url, timeout=300) as response:
            response.read()


def drive(spec_path: str) -> None:
    """Run every endpoint of the spec one after another; print one JSON line per endpoint."""
    import gevent
    from locust.env import Environment
    from locust.log import setup_logging

    setup_logging("ERROR")
    spec = json.loads(Path(spec_path).read_text())
    png = Path(spec["png"]).read_bytes()
    boundary = "bench-load-boundary-7f3a"
    multipart = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="badge.png"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        + png
        + f"\r\n--{boundary}--\r\n".encode()
    )
    for endpoint in spec["endpoints"]:
        name, method, path = endpoint["name"], endpoint["method"], endpoint["path"]
        headers = {"Cookie": spec["cookie"]} if endpoint["logged_in"] else {}
        body = None
        if method == "POST":
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            body = multipart

        visitor = _visitor(spec["host"], name, method, path, headers, body)
        env = Environment(user_classes=[visitor])
        runner = env.create_local_runner()
        runner.start(spec["users"], spawn_rate=spec["users"])
        gevent.sleep(spec["warmup"])
        env.stats.reset_all()
        before = _cpu(spec["pids"])
        started = time.perf_counter()
        gevent.sleep(spec["seconds"])
        elapsed = time.perf_counter() - started
        web, db, own = (b - a for a, b in zip(before, _cpu(spec["pids"]), strict=True))
        entry = env.stats.get(name, method)
        count = entry.num_requests
        result = {
            "name": name,
            "requests": count,
            "rps": count / elapsed,
            "p50": entry.get_response_time_percentile(0.50),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
            "errors": entry.num_failures,
            "error_kinds": {e.error: e.occurrences for e in env.stats.errors.values()},
            "cpu_web_ms": 1000 * web / max(count, 1),
            "cpu_db_ms": 1000 * db / max(count, 1),
            "cpu_client_ms": 1000 * own / max(count, 1),
        }
        runner.quit()
        _drain(spec["host"] + spec["bare_path"])
        print(json.dumps(result), flush=True)


# --- the benchmark --------------------------------------------------------------------------


def run_load(stack, seed, work: Path, names: list[str]) -> dict[str, dict]:
    spec = {
        "host": stack.url,
        "cookie": seed.cookie,
        "png": str(work / "badge.png"),
        "bare_path": seed.urls["bare"],
        "users": USERS,
        "seconds": SECONDS,
        "warmup": WARMUP,
        "pids": stack.process_ids(),
        "endpoints": [
            {"name": name, "method": method, "path": seed.urls[key], "logged_in": logged_in}
            for name, _label, method, key, logged_in, _goal in ENDPOINTS
            if name in names
        ],
    }
    (work / "badge.png").write_bytes(seed.png)
    spec_path = work / "spec.json"
    spec_path.write_text(json.dumps(spec))
    results = {}
    with subprocess.Popen(
        [sys.executable, __file__, "--drive", str(spec_path)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    ) as child:  # fmt: skip
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("{"):
                result = json.loads(line)
                results[result["name"]] = result
                print(f"  measured {result['name']}: {result['rps']:.0f} req/s", file=sys.stderr)
    if child.returncode != 0:
        raise SystemExit(f"the load client failed ({child.returncode})")
    return results


def _fmt_ms(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def print_table(results: dict[str, dict]) -> bool:
    bare = results.get("bare", {}).get("rps") or 0.0
    header = (
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/req web + db (client) "
        "| share of bare | goal | met |"
    )
    print(header)
    print("|" + " --- |" * 10)
    all_met = True
    for name, label, _method, _key, _logged_in, goal in ENDPOINTS:
        if name not in results:
            continue
        r = results[name]
        share = r["rps"] / bare if bare else 0.0
        goal_text = f"≥ {goal:.0%}, p99 < {P99_GOAL_MS} ms" if goal else f"p99 < {P99_GOAL_MS} ms"
        met = r["p99"] < P99_GOAL_MS and r["errors"] == 0 and (goal is None or share >= goal)
        if name == "bare":
            goal_text, met_text = "(the ceiling)", "—"
        else:
            met_text = "yes" if met else "NO"
            all_met = all_met and met
        cpu = _fmt_ms(r["cpu_web_ms"]) + " + " + _fmt_ms(r["cpu_db_ms"])
        cpu += f" ({_fmt_ms(r['cpu_client_ms'])})"
        print(
            f"| {label} | {r['rps']:.0f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} "
            f"| {r['errors']} | {cpu} | {share:.1%} | {goal_text} | {met_text} |"
        )
    for name, r in results.items():
        for kind, count in r["error_kinds"].items():
            print(f"errors on {name}: {count} × {kind}")
    return all_met


def print_conn_ab(by_age: dict[str, dict[str, dict]], names: list[str]) -> None:
    print()
    print(
        "Persistent connections, side by side (gunicorn restarted for each setting; the share "
        "of the bare view measured right before it is the steadier figure on a busy machine):"
    )
    print(
        "| endpoint | req/s, CONN_MAX_AGE=0 | req/s, 60 | share of bare, 0 | share of bare, 60 "
        "| p99 ms, 0 | p99 ms, 60 | CPU ms/req web + db, 0 | CPU ms/req web + db, 60 |"
    )
    print("|" + " --- |" * 9)
    for name in names:
        zero, sixty = by_age["0"][name], by_age["60"][name]
        shares = [r[name]["rps"] / max(r["bare"]["rps"], 1e-9) for r in (by_age["0"], by_age["60"])]
        cpu = [f"{_fmt_ms(r['cpu_web_ms'])} + {_fmt_ms(r['cpu_db_ms'])}" for r in (zero, sixty)]
        print(
            f"| {name} | {zero['rps']:.0f} | {sixty['rps']:.0f} | {shares[0]:.1%} | "
            f"{shares[1]:.1%} | {zero['p99']:.0f} | {sixty['p99']:.0f} | {cpu[0]} | {cpu[1]} |"
        )


def main() -> None:
    from bench.stack import ProductionStack

    names = [n.strip() for n in os.environ.get("BENCH_LOAD_ENDPOINTS", "").split(",") if n.strip()]
    names = names or [e[0] for e in ENDPOINTS]
    ab = [n.strip() for n in os.environ.get("BENCH_LOAD_CONN_AB", "").split(",") if n.strip()]
    unknown = set(names + ab) - {e[0] for e in ENDPOINTS}
    if unknown:
        raise SystemExit(f"unknown endpoints: {', '.join(sorted(unknown))}")
    workers = int(os.environ.get("BENCH_WEB_WORKERS", "4"))
    threads = int(os.environ.get("BENCH_WEB_THREADS", "1"))
    concurrency = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "2"))
    cache = os.environ.get("BENCH_STACK_CACHE", "1") != "0"
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="bench-load-") as work,
        ProductionStack(
            web_workers=workers, web_threads=threads, worker_concurrency=concurrency, cache=cache
        ) as stack,
    ):
        seed = stack.seed()
        conn = stack.python(
            "from django.conf import settings as s; d = s.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.SESSION_ENGINE)"
        ).split()
        results = run_load(stack, seed, Path(work), names)
        print()
        print(
            f"Production stack on loopback: gunicorn {workers} workers × {threads} threads, "
            "PostgreSQL, Redis, "
            f"Celery prefork -c {concurrency}; 200 courses, 5,000 enrolments. CONN_MAX_AGE "
            f"{conn[0]}, CONN_HEALTH_CHECKS {conn[1]}, sessions {conn[2]}."
        )
        print(
            f"{USERS} concurrent users, no think time, each endpoint alone: {WARMUP:g} s warm-up, "
            f"{SECONDS:g} s measured."
        )
        print()
        met = print_table(results)
        print()
        print(f"Goals {'all met' if met else 'NOT all met'}.")
        print(
            f"The load client (locust, one process) shares the machine's {os.cpu_count()} cores "
            "with the server: its CPU per request is in brackets. It holds the bare view down "
            "most, so the shares are lower bounds; other work on the machine makes every figure "
            "noisy.",
            flush=True,
        )
        if ab:
            by_age = {}
            for age in ("0", "60"):
                stack.restart_web(DATABASE_CONN_MAX_AGE=age)
                by_age[age] = run_load(stack, seed, Path(work), ["bare", *ab])
            print_conn_ab(by_age, ["bare", *ab])
    print(f"(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) == 3 and sys.argv[1] == "--drive":
        drive(sys.argv[2])
    else:
        main()
