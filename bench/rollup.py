"""The national roll-up over the national dataset with its measurements: time and peak memory.

    .venv/bin/python bench/rollup.py                  # year 2022, 3 runs
    .venv/bin/python bench/rollup.py --year 2020 --runs 5 --regenerate

Uses the PostgreSQL database of bench/pages.py's national scale (``copil_bench_national``
on --server): created, migrated and filled by ``bench/generate.py --scale national
--seed 42 --measurements`` when missing, empty or without measurements (or with
--regenerate). Then runs ``copil rollup --year YEAR --output FILE`` --runs times, each
as a child process, and reports for each run the wall time of the whole process
(interpreter start-up included) and its peak memory, the child's maximum resident set
size as the kernel counts it (``os.wait4``'s ``ru_maxrss``). The child's progress bar
goes to this script's stderr.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
COPIL = str(Path(PYTHON).with_name("copil"))


def _pages():
    """bench/ is not a package: bench/pages.py's database set-up, loaded by path."""
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "bench" / "pages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_COUNTS = """
from copil.conventions.models import Convention
from copil.monitoring.models import Measurement
from copil.plan.models import Action, Indicator
from copil.reports.rollup import departements
print(Convention.objects.count(), Action.objects.count(), Indicator.objects.count(),
      Measurement.objects.count(), Measurement.objects.filter(status="validated").count(),
      departements().count())
"""


def prepare(server: str, regenerate: bool) -> tuple[str, list[int]]:
    pages = _pages()
    url = pages.prepare_database(server, "national", regenerate)
    env = pages._env(url)
    counts = [int(n) for n in pages._django(env, _COUNTS).split()]
    if counts[3] == 0:  # filled by an older generate.py, without measurements
        print("[national] no measurement: regenerating", file=sys.stderr)
        url = pages.prepare_database(server, "national", True)
        counts = [int(n) for n in pages._django(env, _COUNTS).split()]
    return url, counts


def run_once(url: str, year: int, output: Path) -> tuple[float, int, int]:
    """Wall time (s), peak RSS (KiB) and exit status of one `copil rollup`."""
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="copil.project.settings")
    command = [COPIL, "rollup", "--year", str(year), "--output", str(output)]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env)
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, child.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=Path("/tmp/copil-rollup.csv"))
    parser.add_argument("--regenerate", action="store_true", help="refill the database")
    args = parser.parse_args()

    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{started} · load {os.getloadavg()[0]:.2f} · nproc {os.cpu_count()}", flush=True)
    url, (conventions, actions, indicators, measurements, validated, depts) = prepare(
        args.server, args.regenerate
    )
    print(
        f"database {url.rsplit('/', 1)[-1]}: {conventions:,} conventions, {actions:,} actions,"
        f" {indicators:,} indicators, {measurements:,} measurements ({validated:,} validated),"
        f" {depts} Départements"
    )
    command = f"copil rollup --year {args.year} --output {args.output}"
    print("\n| run | command | load (1 min) before | wall time | peak RSS | CSV lines |")
    print("|---|---|---|---|---|---|")
    times, peaks = [], []
    for run in range(1, args.runs + 1):
        load = os.getloadavg()[0]
        elapsed, peak, code = run_once(url, args.year, args.output)
        if code != 0:
            raise SystemExit(f"run {run}: copil rollup exited with {code}")
        lines = len(args.output.read_text(encoding="utf-8").splitlines()) - 1
        times.append(elapsed)
        peaks.append(peak)
        print(
            f"| {run} | `{command}` | {load:.2f} | {elapsed:.2f} s | {peak / 1024:.1f} MiB"
            f" | {lines} |",
            flush=True,
        )
    print(
        f"\nmedian wall time {statistics.median(times):.2f} s (min {min(times):.2f} s),"
        f" largest peak RSS {max(peaks) / 1024:.1f} MiB; load at the end"
        f" {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
