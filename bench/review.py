"""Annual review PDF: `python bench/review.py` prints a Markdown table of measured figures.

The 2019–2022 demo convention (CD67–CAF67, 35 fiches action) is imported into a fresh
SQLite database of its own (a temporary file, deleted afterwards), given its effective
date (01/07/2019, as `copil demo` does) and a year of follow-up: for every indicator a
2019 and a 2020 value, a 2020 target and four territory values (one below the secrecy
threshold, so masking is on the path), a steering committee with one decision per
action, one follow-up note per action. Then:

`--no-follow-up` times the review of the document's data alone (no measurement, meeting
or note).

(a) the whole `copil review ID --year 2020 --format pdf --output FILE` process, as a user
    runs it (interpreter start-up, Django, queries, template, WeasyPrint, writing the
    file): median of `--runs` after one warm-up; peak RSS of the children. Target ≤ 5 s.
(b) in-process, the same PDF split in its steps: selectors (the content), the HTML
    template, WeasyPrint; and the DOCX and ODT for comparison; and, for a validated
    review, reading its content back from the snapshot stored at the validation (which
    replaces the selectors). Medians of `--runs`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "tests" / "fixtures" / "documents" / "convention-cd67-caf67-2019-2022.txt"
COPIL = Path(sys.executable).parent / "copil"
TARGET_S = 5.0
YEAR = 2020


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


def setup_database(follow_up: bool = True) -> int:
    """Migrate, import the demo convention and (``follow_up``) add a year of follow-up.
    Its id."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from copil.audit.context import Actor, acting_as
    from copil.conventions import services as convention_services
    from copil.governance.models import Decision, GovernanceBody, Meeting
    from copil.importers.api import parse_file, sha256_of
    from copil.institutions.models import Territory
    from copil.monitoring.models import IndicatorTarget, Measurement
    from copil.plan.models import Action, FollowUpNote, Indicator
    from copil.plan.services import import_document

    with acting_as(Actor(label="bench/review.py")):
        result = import_document(
            parse_file(DOCUMENT),
            source_name=DOCUMENT.name,
            source_sha256=sha256_of(DOCUMENT.read_bytes()),
        )
        convention = convention_services.update_convention(
            result.convention, effective_date=dt.date(2019, 7, 1)
        )
    if not follow_up:
        return convention.pk
    territories = [
        Territory.objects.create(kind="action_territory", name=name)
        for name in ("Nord", "Ouest", "Sud", "Eurométropole")
    ]
    indicators = list(Indicator.objects.filter(action__plan__convention=convention))
    rows, targets = [], []
    for n, indicator in enumerate(indicators):
        for year, value in ((2019, 20 + n), (2020, 30 + n)):
            rows.append(
                Measurement(
                    indicator=indicator,
                    period=str(year),
                    period_start=dt.date(year, 1, 1),
                    period_end=dt.date(year, 12, 31),
                    value=Decimal(value),
                )
            )
        for t, territory in enumerate(territories):
            rows.append(
                Measurement(
                    indicator=indicator,
                    period=str(YEAR),
                    period_start=dt.date(YEAR, 1, 1),
                    period_end=dt.date(YEAR, 12, 31),
                    territory=territory,
                    value=Decimal(3 if t == 2 else 10 + t),  # Sud: masked
                )
            )
        targets.append(IndicatorTarget(indicator=indicator, year=YEAR, value=Decimal(40 + n)))
    Measurement.objects.bulk_create(rows)
    IndicatorTarget.objects.bulk_create(targets)
    body = GovernanceBody.objects.create(
        convention=convention, kind="steering", name="Comité de pilotage"
    )
    meeting = Meeting.objects.create(body=body, convention=convention, date=dt.date(YEAR, 11, 20))
    for action in Action.objects.filter(plan__convention=convention):
        decision = Decision.objects.create(meeting=meeting, text=f"Décision sur {action.number}")
        decision.actions.add(action)
        FollowUpNote.objects.create(action=action, date=dt.date(YEAR, 6, 1), text="Point d'étape")
    return convention.pk


def _median(samples: list[float]) -> str:
    return f"{statistics.median(samples):.2f} s"


@click.command()
@click.option("--runs", default=5, show_default=True, help="Timed runs of each benchmark.")
@click.option(
    "--follow-up/--no-follow-up",
    default=True,
    show_default=True,
    help="Add a year of measurements, decisions and notes (else: the document's data only).",
)
def main(runs: int, follow_up: bool) -> None:
    """Time the annual review PDF of the demo convention; print a Markdown table."""
    with tempfile.TemporaryDirectory(prefix="copil-bench-review-") as tmp:
        database = Path(tmp) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copil.project.settings")
        sys.path.insert(0, str(ROOT))
        convention_id = setup_database(follow_up)
        output = Path(tmp) / "bilan.pdf"
        command = [
            str(COPIL),
            "review",
            str(convention_id),
            "--year",
            str(YEAR),
            "--format",
            "pdf",
            "--output",
            str(output),
        ]
        click.echo(machine())
        click.echo(f"Data: the demo document{' + a year of follow-up' if follow_up else ' only'}")
        click.echo(
            f"Command (a): `{' '.join(command[:1])} review ID --year {YEAR} "
            f"--format pdf --output FILE` on a fresh SQLite database"
        )
        subprocess.run(command, check=True, capture_output=True, env=os.environ)  # warm-up
        process, process_cpu = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=os.environ)
            process.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            process_cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pages = _pages(output)

        from copil.conventions.models import Convention
        from copil.core.review import from_dict, to_dict
        from copil.reviews import render, selectors

        convention = Convention.objects.get(pk=convention_id)
        steps: dict[str, list[float]] = {
            k: [] for k in ("selectors", "template", "weasyprint", "docx", "odt", "snapshot")
        }
        cpu = []
        from weasyprint import HTML

        for _ in range(runs):
            c0 = time.process_time()
            t0 = time.perf_counter()
            content = selectors.review_content(convention, YEAR)
            t1 = time.perf_counter()
            html = render.render_html(content)
            t2 = time.perf_counter()
            HTML(string=html).write_pdf()
            t3 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            render.render(content, "docx")
            t4 = time.perf_counter()
            render.render(content, "odt")
            t5 = time.perf_counter()
            stored = json.loads(json.dumps(to_dict(content)))  # as the JSONField keeps it
            t6 = time.perf_counter()
            assert from_dict(stored) == content
            t7 = time.perf_counter()
            for key, value in zip(
                steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t7 - t6), strict=True
            ):
                steps[key].append(value)

    median = statistics.median(process)
    verdict = "✅" if median <= TARGET_S else "❌"
    click.echo("")
    click.echo("| benchmark | runs | median | min | max | notes |")
    click.echo("|---|---|---|---|---|---|")
    click.echo(
        f"| (a) `copil review … --format pdf` (whole process) | {runs} | {median:.2f} s "
        f"| {min(process):.2f} s | {max(process):.2f} s | target ≤ {TARGET_S:.1f} s {verdict}; "
        f"{pages} pages; peak RSS {rss:.0f} MiB |"
    )
    click.echo(
        f"| (a) the same processes, CPU time (user + sys) | {runs} "
        f"| {statistics.median(process_cpu):.2f} s | {min(process_cpu):.2f} s "
        f"| {max(process_cpu):.2f} s | `getrusage(RUSAGE_CHILDREN)`: without the waits |"
    )
    for key, label in (
        ("selectors", "(b) selectors: review_content (17 queries)"),
        ("template", "(b) Django template → HTML"),
        ("weasyprint", "(b) WeasyPrint HTML → PDF"),
        ("docx", "(b) DOCX (python-docx, PNG charts)"),
        ("odt", "(b) ODT (odfpy, PNG charts)"),
        ("snapshot", "(b) validated review: content read back from its snapshot"),
    ):
        samples = steps[key]
        click.echo(
            f"| {label} | {runs} | {statistics.median(samples):.2f} s | {min(samples):.2f} s "
            f"| {max(samples):.2f} s | |"
        )
    click.echo(
        f"| (b) PDF in-process, CPU time (selectors + template + WeasyPrint) | {runs} "
        f"| {statistics.median(cpu):.2f} s | {min(cpu):.2f} s | {max(cpu):.2f} s "
        "| `time.process_time()`, not inflated by waiting for a CPU |"
    )
    click.echo(f"\nload after: {os.getloadavg()[0]:.2f}")


def _pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


if __name__ == "__main__":
    main()
