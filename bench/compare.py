"""One benchmark, two versions of the code, side by side: ``python bench/compare.py REV``.

Runs ``bench/verify.py`` (or the script given with ``--script``) alternately in this working
tree and in a temporary ``git worktree`` of ``REV`` (for example the commit before a change to
the signing or verify path), ``--runs`` times each, and prints for every row of the
benchmark's table the median rate of each side and their ratio. Alternating the runs and
taking medians keeps a busy machine from favouring one side. Not a test: it prints ratios.

    .venv/bin/python bench/compare.py HEAD~5
    .venv/bin/python bench/compare.py 3d4221c --runs 7 --script bench/verify.py
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A result row: a label of one or more words, then numbers (the first is the rate).
ROW = re.compile(r"^(?P<label>[A-Za-z][\w\- ]*?)\s+(?P<rate>\d+(?:\.\d+)?)\s+\d")
# bench/issue.py's rows: a label, the seconds, then the rate ("bulk  6.20 s  322.6 credentials/s").
TIMED_ROW = re.compile(r"^(?P<label>[a-z]+)\s+\d+(?:\.\d+)?\s+s\s+(?P<rate>\d+(?:\.\d+)?)\s+\w+/s")


def run(tree: Path, script: str) -> dict[str, float]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore",
    }
    output = subprocess.run(
        [sys.executable, script], cwd=tree, env=env, capture_output=True, text=True, check=True
    ).stdout
    rows = {}
    for line in output.splitlines():
        match = TIMED_ROW.match(line.strip()) or ROW.match(line.strip())
        if match:
            rows[" ".join(match["label"].split())] = float(match["rate"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("rev", help="the version to compare with, e.g. HEAD~3")
    parser.add_argument("--script", default="bench/verify.py")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-compare-")) / "base"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(base), args.rev],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    samples: dict[str, dict[str, list[float]]] = {"base": {}, "this": {}}
    try:
        for _ in range(args.runs):
            for side, tree in (("base", base), ("this", ROOT)):
                for label, rate in run(tree, args.script).items():
                    samples[side].setdefault(label, []).append(rate)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT)
        shutil.rmtree(base.parent, ignore_errors=True)
    print(f"{args.script}: medians of {args.runs} alternating runs, {args.rev} vs this tree")
    print(f"{'row':<24}{args.rev[:12]:>14}{'this tree':>12}{'this ÷ base':>14}")
    for label, rates in samples["this"].items():
        before = samples["base"].get(label)
        if not before:
            continue
        old, new = statistics.median(before), statistics.median(rates)
        print(f"{label:<24}{old:>14.1f}{new:>12.1f}{new / old:>13.2f}x")


if __name__ == "__main__":
    main()
