"""Import performance: `python bench/import.py` prints a Markdown table of measured figures.

(a) in-process parse of the seed text (read_text + parse_convention, and api.parse_bytes);
(b) the whole `copil import <txt> --dry-run --json` process, as a user runs it;
(c) in-process api.parse_bytes of the PDF and DOCX renderings of the same convention.
Wall times are medians of timed runs after warm-up; peak memory is tracemalloc's peak for
one in-process parse (Python allocations only), and the children's peak RSS for (b).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "fixtures" / "documents"
SEED = DOCS / "convention-cd67-caf67-2019-2022"
COPIL = Path(sys.executable).with_name("copil")
TARGET_PARSE_S, TARGET_CLI_S = 0.050, 1.5


@dataclass(frozen=True)
class Result:
    name: str
    runs: int
    times: list[float]  # seconds
    peak_mib: float | None
    peak_label: str
    target_s: float | None
    note: str = ""

    def row(self) -> str:
        med = statistics.median(self.times)
        target = (
            "—"
            if self.target_s is None
            else f"≤ {_ms(self.target_s)} " + ("✅" if med <= self.target_s else "❌")
        )
        peak = "—" if self.peak_mib is None else f"{self.peak_mib:.1f} MiB ({self.peak_label})"
        return (
            f"| {self.name} | {self.runs} | {_ms(med)} | {_ms(min(self.times))} | "
            f"{_ms(max(self.times))} | {peak} | {target} | {self.note} |"
        )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _timed(fn: Callable[[], object], runs: int, warmup: int) -> list[float]:
    """Wall times of `runs` calls after `warmup` untimed ones (GC left on, as in real use)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def _peak_mib(fn: Callable[[], object]) -> float:
    """tracemalloc's peak for one call, in MiB (Python allocations only)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def bench_in_process(
    name: str, fn: Callable[[], object], runs: int, target: float | None, note: str = ""
) -> Result:
    times = _timed(fn, runs, warmup=max(1, min(5, runs // 10)))
    return Result(name, runs, times, _peak_mib(fn), "tracemalloc", target, note)


def bench_text(runs: int) -> list[Result]:
    from copil.importers.api import parse_bytes
    from copil.importers.convention import parse_convention
    from copil.importers.formats import decode_text
    from copil.importers.source import read_text

    data = SEED.with_suffix(".txt").read_bytes()
    actions = len(parse_bytes(data, "seed.txt").actions())
    note = f"{len(data) // 1024} KiB, {actions} actions"
    return [
        bench_in_process(
            "(a) text: read_text + parse_convention",
            lambda: parse_convention(read_text(decode_text(data))),
            runs,
            TARGET_PARSE_S,
            note,
        ),
        bench_in_process(
            "(a) text: api.parse_bytes",
            lambda: parse_bytes(data, "seed.txt"),
            runs,
            TARGET_PARSE_S,
            note,
        ),
    ]


def bench_cli(runs: int) -> Result:
    """The whole process: interpreter start-up, imports, parse, JSON on stdout."""
    path = SEED.with_suffix(".txt")
    cmd = [str(COPIL), "import", str(path), "--dry-run", "--json"]

    def run() -> None:
        done = subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT)
        assert json.loads(done.stdout)["title"], "no title in the JSON output"

    times = _timed(run, runs, warmup=1)
    rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    return Result(
        "(b) `copil import <txt> --dry-run --json`",
        runs,
        times,
        rss_mib,
        "max RSS of the runs",
        TARGET_CLI_S,
        "subprocess",
    )


def bench_binary(runs: int) -> list[Result | str]:
    from copil.importers.api import parse_bytes

    results: list[Result | str] = []
    for suffix in (".pdf", ".docx"):
        path = SEED.with_suffix(suffix)
        if not path.is_file():
            results.append(f"(c) {path.name}: skipped, fixture not there yet.")
            continue
        data = path.read_bytes()
        actions = len(parse_bytes(data, path.name).actions())
        results.append(
            bench_in_process(
                f"(c) {suffix[1:]}: api.parse_bytes",
                lambda d=data, n=path.name: parse_bytes(d, n),
                runs,
                None,
                f"{len(data) // 1024} KiB, {actions} actions",
            )
        )
    return results


def machine() -> str:
    commit = (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        or "unknown"
    )
    return (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · "
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}) · "
        f"load {os.getloadavg()[0]:.2f} · Python {platform.python_version()} · "
        f"{platform.platform()} · commit {commit} (plus the uncommitted tree)"
    )


@click.command()
@click.option("--runs", default=50, show_default=True, help="Timed in-process parses of the text.")
@click.option("--cli-runs", default=10, show_default=True, help="Timed `copil import` processes.")
@click.option("--binary-runs", default=3, show_default=True, help="Timed PDF/DOCX parses.")
def main(runs: int, cli_runs: int, binary_runs: int) -> None:
    """Measure and print a Markdown table (targets: (a) ≤ 50 ms median, (b) ≤ 1.5 s)."""
    rows: list[Result | str] = []
    for label, bench in (
        ("(a) text", lambda: bench_text(runs)),
        ("(b) copil import", lambda: [bench_cli(cli_runs)]),
        ("(c) pdf/docx", lambda: bench_binary(binary_runs)),
    ):
        try:
            rows += bench()
        except subprocess.CalledProcessError as exc:
            last = exc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
            rows.append(f"{label}: FAILED, exit status {exc.returncode}: {last[0]}")
        except Exception as exc:  # noqa: BLE001 - a broken importer is a result to report
            rows.append(f"{label}: FAILED, {type(exc).__name__}: {exc}")
    click.echo(f"{machine()}\n")
    click.echo("| benchmark | runs | median | min | max | peak memory | target | notes |")
    click.echo("|---|---|---|---|---|---|---|---|")
    for row in rows:
        if isinstance(row, Result):
            click.echo(row.row())
    for row in rows:
        if isinstance(row, str):
            click.echo(f"\n{row}")
    failed = [
        r.name
        for r in rows
        if isinstance(r, Result)
        and r.target_s is not None
        and statistics.median(r.times) > r.target_s
    ]
    click.echo(f"\nTargets missed: {', '.join(failed)}" if failed else "\nAll targets met.")


if __name__ == "__main__":
    main()
