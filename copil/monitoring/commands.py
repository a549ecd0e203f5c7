"""`copil measurements export|import`: the measurements CSV from the command line, over
the same functions as the web pages (copil.monitoring.csvfiles and services)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def measurements() -> None:
    """Exporter ou importer les mesures des indicateurs d'une convention (CSV)."""


def _convention(convention_id: int):
    from copil.cli import CliError
    from copil.conventions.models import Convention

    convention = Convention.objects.alive().filter(pk=convention_id).first()
    if convention is None:
        raise CliError(f"aucune convention n° {convention_id}.")
    return convention


@measurements.command("export")
@click.argument("convention_id", type=int)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fichier à écrire (par défaut mesures-convention-ID.csv).",
)
def export_command(convention_id: int, output: Path | None) -> None:
    """Écrire les mesures de la convention au format CSV (secret statistique appliqué)."""
    from copil.cli import _setup_django

    _setup_django()
    from copil.monitoring.csvfiles import export_csv

    convention = _convention(convention_id)
    data = export_csv(convention)
    output = output or Path(f"mesures-convention-{convention_id}.csv")
    output.write_bytes(data)
    click.echo(f"{output} écrit ({len(data)} octets).")


@measurements.command("import")
@click.argument("convention_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--as",
    "username",
    help="Importer au nom de cet utilisateur (ses droits s'appliquent, l'historique le nomme).",
)
@click.option("--dry-run", is_flag=True, help="Vérifier le fichier sans rien enregistrer.")
def import_command(convention_id: int, file: Path, username: str | None, dry_run: bool) -> None:
    """Importer un CSV au format de l'export : tout ou rien, sans effet s'il ne change rien."""
    from copil.cli import CliError, _setup_django

    if not file.is_file():
        raise CliError(f"fichier introuvable : {file}")
    _setup_django()
    from django.contrib.auth import get_user_model

    from copil.audit.context import Actor, acting_as, actor_for_user
    from copil.monitoring.services import MeasurementImportError, import_measurements

    convention = _convention(convention_id)
    user = None
    actor = Actor(label="ligne de commande")
    if username:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CliError(f"aucun utilisateur actif « {username} ».")
        actor = actor_for_user(user)
    with acting_as(actor):
        try:
            plan = import_measurements(convention, file.read_bytes(), user=user, dry_run=dry_run)
        except MeasurementImportError as exc:
            for line, message in exc.errors:
                click.echo(f"  ! {'ligne ' + str(line) + ' : ' if line else ''}{message}", err=True)
            raise CliError(
                f"{file.name} : {len(exc.errors)} erreur(s), rien n'a été importé."
            ) from exc
    verb = "à créer" if dry_run else "créée(s)"
    click.echo(
        f"{plan.created} mesure(s) {verb}, {plan.updated} modifiée(s), "
        f"{plan.unchanged} inchangée(s)" + (" (vérification seule)." if dry_run else ".")
    )


COMMANDS = [measurements]
