"""`copil review`: the annual review of a convention as a PDF, ODT or DOCX file."""

from __future__ import annotations

from pathlib import Path

import click

FORMATS = ("pdf", "odt", "docx")


@click.command()
@click.argument("convention_id", type=int)
@click.option("--year", type=int, required=True, help="Année du bilan (AAAA).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="pdf",
    show_default=True,
    help="Format du document produit.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fichier à écrire (défaut : bilan-ANNÉE-convention-ID.FORMAT).",
)
def review(convention_id: int, year: int, fmt: str, output: Path | None) -> None:
    """Produire le bilan annuel d'une convention (PDF, ODT ou DOCX).

    Un bilan validé est produit tel qu'il a été validé (figé à la validation). Sans
    bilan enregistré pour cette année, le document est un projet établi à partir
    des données (actions, indicateurs, budget, réunions et décisions de l'année).
    Les effectifs sous le seuil de secret statistique sont toujours masqués.
    """
    from copil.cli import CliError, _setup_django

    _setup_django()
    from django.core.exceptions import ValidationError

    from copil.conventions.models import Convention
    from copil.reviews import render, selectors, services

    convention = (
        Convention.objects.alive().select_related("termination").filter(pk=convention_id).first()
    )
    if convention is None:
        raise CliError(f"aucune convention n° {convention_id}.")
    try:
        services.check_year(convention, year)
    except ValidationError as exc:
        raise CliError(" ".join(exc.messages)) from exc
    stored = selectors.review_queryset().filter(convention=convention, year=year).first()
    if stored is not None:
        content = selectors.review_document(stored)  # a validated review: as validated
    else:
        content = selectors.review_content(convention, year)
    data = render.render(content, fmt)
    output = output or Path(render.filename(convention.pk, content, fmt))
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise CliError(f"--output : impossible d'écrire {output} ({exc.strerror}).") from exc
    state = stored.get_status_display().lower() if stored else "projet établi à partir des données"
    click.echo(f"{output} écrit ({len(data)} octets) — bilan {year} ({state}).")


COMMANDS = [review]
