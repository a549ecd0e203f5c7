"""`copil renew`: create the successor of a convention."""

from __future__ import annotations

import click


@click.command("renew")
@click.argument("convention_id", type=int)
@click.option(
    "--effective-date", required=True, help="Date d'effet de la nouvelle convention (AAAA-MM-JJ)."
)
@click.option("--title", help="Intitulé de la nouvelle convention (défaut : l'actuel + l'année).")
@click.option("--no-plan", is_flag=True, help="Ne pas reprendre le projet de coopération.")
def renew(convention_id: int, effective_date: str, title: str | None, no_plan: bool) -> None:
    """Renouveler une convention : créer la suivante (projet, membres, dernier bilan)."""
    from copil.cli import CliError, _date, _setup_django

    day = _date(effective_date, "--effective-date")
    _setup_django()
    from django.core.exceptions import ValidationError

    from copil.audit.context import Actor, acting_as
    from copil.conventions.models import Convention
    from copil.renewals import services

    convention = Convention.objects.alive().filter(pk=convention_id).first()
    if convention is None:
        raise CliError(f"aucune convention n° {convention_id}.")
    try:
        with acting_as(Actor(label="ligne de commande")):
            result = services.renew_convention(
                convention, effective_date=day, title=title, copy_plan=not no_plan
            )
    except ValidationError as exc:
        raise CliError(" ".join(exc.messages)) from exc
    successor = result.successor
    click.echo(
        f"Convention n° {successor.pk} « {successor.title} » créée à compter du "
        f"{successor.effective_date:%d/%m/%Y}, à la suite de la n° {convention.pk} "
        f"({services.renewal_counts_text(result.counts)})."
    )
    if result.basis_review is not None:
        click.echo(
            f"Éléments de bilan : le bilan {result.basis_review.year} de la convention "
            f"n° {convention.pk} (« {result.basis_review.get_status_display()} »)."
        )
    else:
        click.echo("La convention précédente n'a pas de bilan à rattacher.")


COMMANDS = [renew]
