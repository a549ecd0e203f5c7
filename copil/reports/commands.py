"""`copil rollup`: the national roll-up, one line per Département (copil.reports.rollup)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click

BOM = "\ufeff"


@click.command()
@click.option("--year", type=click.IntRange(1900, 2200), required=True, help="Année (AAAA).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fichier CSV à écrire (par défaut : la sortie standard).",
)
@click.option("--no-progress", is_flag=True, help="Sans barre de progression.")
def rollup(year: int, output: Path | None, no_progress: bool) -> None:
    """Chiffres d'une année par Département, toutes conventions confondues (CSV ;)."""
    from copil.cli import CliError, _setup_django

    _setup_django()
    from copil.reports import rollup as national

    groups = [*national.departements(), None]
    if not national.has_conventions_without_departement():
        groups.pop()
    try:
        stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as exc:
        raise CliError(f"--output : impossible d'écrire {output} ({exc.strerror}).") from exc
    lines = 0
    try:
        if output:
            stream.write(BOM)  # so that a spreadsheet reads the accents
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(national.HEADERS)
        with click.progressbar(
            national.rollup(year, groups),
            length=len(groups),
            label=f"Départements {year}",
            file=sys.stderr,
            hidden=no_progress,
            show_pos=True,
        ) as bar:
            for line in bar:
                writer.writerow(national.csv_cells(line))
                lines += 1
    finally:
        if output:
            stream.close()
        else:
            stream.flush()
    where = f" dans {output}" if output else ""
    click.echo(f"{lines} ligne(s) écrite(s){where}.", err=True)


COMMANDS = [rollup]
