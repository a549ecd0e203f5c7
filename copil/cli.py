"""`copil`: thin commands over the same services as the web app.

Commands that need no database (lifecycle with explicit rules, import --dry-run)
never start Django, so they answer fast and work without a configured database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from copil.core.durations import DateInputError, DurationError, parse_duration, parse_iso_date
from copil.core.lifecycle import LifecycleError, LifecycleState, TermRules, compute_state
from copil.core.lifecycle import Termination as TerminationRule

REPO_DIR = Path(__file__).resolve().parent.parent
DEMO_DOCUMENT = (
    REPO_DIR / "tests" / "fixtures" / "documents" / "convention-cd67-caf67-2019-2022.txt"
)
DEMO_EFFECTIVE_DATE = dt.date(2019, 7, 1)


class CliError(click.ClickException):
    """A one-line French message, no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"copil : erreur : {self.format_message()}", err=True)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copil.project.settings")
    import django

    django.setup()


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Paris")).date()


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except DateInputError as exc:
        raise CliError(f"{option} : {exc}") from exc


def _months(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise CliError(f"{option} : {exc}") from exc


STATUS_LABELS = {
    "not_started": "pas encore en vigueur",
    "in_force": "en vigueur",
    "notice_given": "dénoncée, préavis en cours",
    "terminated": "résiliée",
    "expired": "échue",
}


def _fr(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "—"


def _print_state(state: LifecycleState, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(state.as_dict(), ensure_ascii=False))
        return
    click.echo(f"Statut : {STATUS_LABELS.get(state.status, state.status)}")
    if state.period_start:
        suffix = (
            f" ({state.renewal_count}e reconduction)"
            if state.renewal_count
            else " (période initiale)"
        )
        if state.renewal_count == 1:
            suffix = " (1re reconduction)"
        click.echo(f"Période : du {_fr(state.period_start)} au {_fr(state.period_end)}{suffix}")
    if state.notice_deadline:
        click.echo(f"Date limite de réception d'une dénonciation : {_fr(state.notice_deadline)}")
    if state.ends_on:
        click.echo(f"Fin : {_fr(state.ends_on)}")
    else:
        click.echo("Fin : reconduction tacite, sans terme fixé")
    if state.upcoming_deadlines:
        click.echo("Prochaines échéances :")
        for deadline in state.upcoming_deadlines:
            click.echo(f"  {_fr(deadline.on)}  {deadline.label}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """copil : piloter les conventions de partenariat entre institutions."""


@cli.command()
@click.argument("convention_id", required=False, type=int)
@click.option("--effective-date", help="Date d'effet (AAAA-MM-JJ).")
@click.option("--initial-term", help="Durée initiale : 3y (ans) ou 36m (mois).")
@click.option("--renewal", help="Durée de chaque reconduction, ex. 1y.")
@click.option("--max-term", help="Durée totale maximale, reconductions comprises, ex. 4y.")
@click.option("--notice", help="Préavis de dénonciation, ex. 6m.")
@click.option("--no-tacit-renewal", is_flag=True, help="Pas de tacite reconduction.")
@click.option("--notice-received", help="Date de réception d'une dénonciation (AAAA-MM-JJ).")
@click.option("--on", "on_", help="Date d'observation (défaut : aujourd'hui).")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
def lifecycle(
    convention_id: int | None,
    effective_date: str | None,
    initial_term: str | None,
    renewal: str | None,
    max_term: str | None,
    notice: str | None,
    no_tacit_renewal: bool,
    notice_received: str | None,
    on_: str | None,
    as_json: bool,
) -> None:
    """Statut, période, préavis et échéances d'une convention à une date."""
    on = _date(on_, "--on") or _today()
    if convention_id is not None:
        _setup_django()
        from copil.conventions.models import Convention

        convention = (
            Convention.objects.alive()
            .select_related("termination")
            .filter(pk=convention_id)
            .first()
        )
        if convention is None:
            raise CliError(f"aucune convention n° {convention_id}.")
        state = convention.lifecycle(on)
        if state is None:
            raise CliError("la date d'effet ou la durée de cette convention n'est pas renseignée.")
        _print_state(state, as_json)
        return
    start = _date(effective_date, "--effective-date")
    initial = _months(initial_term, "--initial-term")
    if start is None or initial is None:
        raise CliError("indiquez un numéro de convention, ou --effective-date et --initial-term.")
    renewal_months = _months(renewal, "--renewal")
    if renewal_months is None and not no_tacit_renewal:
        renewal_months = initial  # "renouvelable par tacite reconduction" with no period given
    rules = TermRules(
        initial_term_months=initial,
        renewal_period_months=None if no_tacit_renewal else renewal_months,
        tacit_renewal=not no_tacit_renewal,
        max_total_term_months=_months(max_term, "--max-term"),
        notice_period_months=_months(notice, "--notice") or 0,
    )
    received = _date(notice_received, "--notice-received")
    try:
        rules.validate()
        state = compute_state(
            start, rules, on, TerminationRule(notice_received_on=received) if received else None
        )
    except LifecycleError as exc:
        raise CliError(str(exc)) from exc
    _print_state(state, as_json)


EXPORT_FORMATS = {"docx": "docx", "odt": "odt", "md": "markdown", "json": "json"}


def _parse(path: Path):
    from copil.importers.api import parse_file
    from copil.importers.model import CopilImportError

    try:
        return parse_file(path)
    except CopilImportError as exc:
        raise CliError(f"{path.name} : {exc}") from exc


def _print_warnings(doc) -> None:
    for warning in doc.warnings:
        click.echo(f"  ! [{warning.code}] {warning.location} : {warning.message}", err=True)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Analyser sans rien enregistrer.")
@click.option("--json", "as_json", is_flag=True, help="Afficher la structure reconnue en JSON.")
@click.option(
    "--convention", "convention_id", type=int, help="Convention existante à mettre à jour."
)
@click.option(
    "--apply", "apply_changes", is_flag=True, help="Appliquer les différences constatées."
)
def import_(
    files: tuple[Path, ...],
    dry_run: bool,
    as_json: bool,
    convention_id: int | None,
    apply_changes: bool,
) -> None:
    """Importer un ou plusieurs documents de convention (texte, DOCX, ODT, PDF, Markdown, JSON).

    L'import est atomique (un échec ne change rien) et idempotent (le même document
    importé deux fois ne crée pas de doublon).
    """
    from copil.importers.model import to_json

    if convention_id is not None and len(files) > 1:
        raise CliError("--convention ne s'utilise qu'avec un seul fichier.")
    for path in files:
        if not path.is_file():
            raise CliError(f"fichier introuvable : {path}")
    if dry_run:
        docs = [_parse(path) for path in files]
        if as_json:
            payload = [to_json(d) for d in docs]
            click.echo(
                json.dumps(
                    payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2
                )
            )
        else:
            for path, doc in zip(files, docs, strict=True):
                actions = doc.actions()
                click.echo(
                    f"{path.name} : « {doc.title} » — {len(doc.themes)} thématiques, "
                    f"{len(actions)} actions, {len(doc.warnings)} avertissements "
                    "(rien n'a été enregistré)"
                )
                _print_warnings(doc)
        return
    _setup_django()
    from copil.audit.context import Actor, acting_as
    from copil.conventions.models import Convention
    from copil.importers.api import sha256_of
    from copil.plan.services import import_document

    target = None
    if convention_id is not None:
        target = Convention.objects.alive().filter(pk=convention_id).first()
        if target is None:
            raise CliError(f"aucune convention n° {convention_id}.")
    results = []
    progress = (
        click.progressbar(files, label="Import", file=sys.stderr, show_pos=True)
        if len(files) > 1
        else contextlib.nullcontext(files)
    )
    with acting_as(Actor(label="ligne de commande")), progress as bar:
        for path in bar:
            doc = _parse(path)
            data = path.read_bytes()
            result = import_document(
                doc,
                source_name=path.name,
                source_sha256=sha256_of(data),
                convention=target,
                apply_changes=apply_changes,
            )
            results.append((path, doc, result))
    for path, doc, result in results:
        c = result.convention
        if result.created:
            click.echo(
                f"{path.name} : convention n° {c.pk} créée — {len(doc.themes)} thématiques, "
                f"{len(doc.actions())} actions, {len(doc.warnings)} avertissements."
            )
            _print_warnings(doc)
        elif result.unchanged:
            click.echo(f"{path.name} : déjà importé (convention n° {c.pk}), rien n'a changé.")
        elif result.applied:
            click.echo(
                f"{path.name} : convention n° {c.pk} mise à jour "
                f"({len(result.differences)} différences appliquées)."
            )
        else:
            click.echo(f"{path.name} : le document diffère de la convention n° {c.pk} :")
            for line in result.differences:
                click.echo(f"  - {line}")
            click.echo(
                "Rien n'a été modifié. Relancez avec --apply pour appliquer ces différences."
            )


@cli.command("export")
@click.argument("convention_id", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(EXPORT_FORMATS)),
    default="docx",
    show_default=True,
    help="Format du document produit.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Fichier à écrire (défaut : convention-ID.FORMAT).",
)
def export(convention_id: int, fmt: str, output: Path | None) -> None:
    """Exporter le projet de coopération au format des fiches action."""
    _setup_django()
    from django.core.exceptions import ObjectDoesNotExist

    from copil.exporters import export_document
    from copil.plan.documents import convention_to_document, load_convention

    try:
        convention = load_convention(convention_id)
    except ObjectDoesNotExist as exc:
        raise CliError(f"aucune convention n° {convention_id}.") from exc
    data = export_document(convention_to_document(convention), EXPORT_FORMATS[fmt])
    output = output or Path(f"convention-{convention_id}.{fmt}")
    output.write_bytes(data)
    click.echo(f"{output} écrit ({len(data)} octets).")


@cli.command()
def conventions() -> None:
    """Lister les conventions avec leur statut et leur prochaine échéance."""
    _setup_django()
    from copil.conventions.selectors import convention_rows

    rows = convention_rows()
    if not rows:
        click.echo("Aucune convention.")
    for row in rows:
        deadline = row.next_deadline
        click.echo(
            f"{row.convention.pk:>5}  {row.convention.title}  —  "
            f"{row.status_label or 'durée non renseignée'}"
            + (f"  —  {_fr(deadline.on)} {deadline.label}" if deadline else "")
        )


@cli.command()
def demo() -> None:
    """Charger la convention de démonstration (Bas-Rhin, 2019-2022) et un compte de démo."""
    _setup_django()
    from copil.demo import load_demo

    for line in load_demo(DEMO_DOCUMENT, effective_date=DEMO_EFFECTIVE_DATE):
        click.echo(line)


# Commands that live with their app (copil/<app>/commands.py, a COMMANDS list); they
# import _setup_django, CliError and _today from here, so they are registered last.
APP_COMMAND_MODULES = (
    "copil.monitoring.commands",
    "copil.reviews.commands",
    "copil.notifications.commands",
    "copil.renewals.commands",
    "copil.reports.commands",
)


def _register_app_commands() -> None:
    import importlib

    for name in APP_COMMAND_MODULES:
        for command in importlib.import_module(name).COMMANDS:
            cli.add_command(command)


_register_app_commands()


def main() -> None:
    try:
        cli.main(standalone_mode=False, prog_name="copil")
    except click.exceptions.Abort:
        click.echo("copil : interrompu.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        if isinstance(exc, CliError):
            exc.show()
        else:
            click.echo(f"copil : erreur : {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
