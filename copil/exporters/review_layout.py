"""The annual review as a flat sequence of blocks, for the DOCX and ODT writers.

Both writers walk the same blocks, so the two documents hold the same text in the same
order as the PDF (which comes from the template reviews/_content.html).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from copil.core.review import Chart, Indicator, ReviewContent, Row, Table, TocEntry


@dataclass(frozen=True)
class Block:
    kind: str  # "title", "heading", "paragraph", "item", "table", "chart", "page_break", "toc"
    text: str = ""
    level: int = 0  # heading level (1..3); for "paragraph": 1 = emphasised
    table: Table | None = None
    chart: Chart | None = None
    toc: tuple[TocEntry, ...] = ()


def _p(text: str, strong: bool = False) -> Block:
    return Block("paragraph", text, level=1 if strong else 0)


def _indicator_label(indicator: Indicator) -> str:
    detail = ", ".join(x for x in (indicator.kind.lower(), indicator.unit) if x)
    return indicator.label + (f" ({detail})" if detail else "")


def review_blocks(content: ReviewContent) -> Iterator[Block]:
    cover = content.cover
    yield Block("title", cover.title)
    yield _p(cover.convention, strong=True)
    if cover.reference:
        yield _p(cover.reference)
    yield _p("Entre")
    for party in cover.parties:
        yield _p(party.name, strong=True)
        if party.detail:
            yield _p(party.detail)
    yield _p(f"Année {cover.year} ({cover.period})")
    yield _p(f"État : {cover.status}", strong=True)
    if cover.review_note:
        yield _p(cover.review_note)
    if cover.validation:
        yield _p(cover.validation, strong=True)
    yield _p(cover.generated_on)
    yield Block("page_break")
    yield Block("heading", "Sommaire", level=1)
    yield Block("toc", toc=content.toc)
    yield Block("page_break")
    if content.introduction:
        yield Block("heading", "Introduction", level=1)
        yield _p(content.introduction)
    yield Block("heading", "Synthèse", level=1)
    for paragraph in content.summary.paragraphs:
        yield _p(paragraph)
    yield Block("table", table=content.summary.statuses)
    yield Block("table", table=content.summary.budget)
    yield _p(content.secrecy_note)
    for theme in content.themes:
        yield Block("heading", theme.title, level=1)
        yield _p(theme.summary)
        yield Block("heading", "Bilan de la thématique", level=3)
        if theme.narrative.is_empty:
            yield _p("Le bilan rédigé de cette thématique n'est pas encore renseigné.")
        else:
            for label, text in (
                ("Acquis", theme.narrative.achievements),
                ("Difficultés", theme.narrative.difficulties),
                ("Perspectives", theme.narrative.outlook),
            ):
                yield _p(label, strong=True)
                yield _p(text or "—")
        for action in theme.actions:
            yield Block("heading", f"Action {action.number} : {action.title}", level=2)
            previous = (
                "nouveau"
                if action.comparison.previous_status == "nouveau"
                else f"{action.comparison.previous_status}, {action.comparison.previous_progress}"
            )
            yield Block(
                "table",
                table=Table(
                    caption=f"État de l'action {action.number}",
                    headers=("Pilotes", "État", "Avancement", "Année précédente"),
                    rows=(Row((action.leads, action.status, action.progress, previous)),),
                ),
            )
            if action.milestones:
                yield Block("heading", "Jalons", level=3)
                yield Block(
                    "table",
                    table=Table(
                        caption=f"Jalons de l'action {action.number}",
                        headers=("Étape", "Échéance", "Situation"),
                        rows=tuple(
                            Row((m.label, m.due, f"⚠ {m.state}" if m.late else m.state))
                            for m in action.milestones
                        ),
                    ),
                )
            if action.indicators:
                yield Block("heading", "Indicateurs", level=3)
                yield Block(
                    "table",
                    table=Table(
                        caption=f"Indicateurs de l'action {action.number}",
                        headers=(
                            "Indicateur",
                            f"Valeur {cover.year}",
                            "Cible",
                            "Atteinte",
                            "Année précédente",
                            "Tendance",
                        ),
                        rows=tuple(
                            Row(
                                (
                                    _indicator_label(indicator),
                                    indicator.value,
                                    indicator.target,
                                    indicator.achievement,
                                    indicator.previous,
                                    indicator.trend,
                                )
                            )
                            for indicator in action.indicators
                        ),
                    ),
                )
            for indicator in action.indicators:
                if indicator.measurements:
                    yield _p(f"{indicator.label} — {indicator.measurements_text}")
                if indicator.chart is not None:
                    yield Block("chart", indicator.chart.title, chart=indicator.chart)
            if action.budget is not None:
                yield Block("heading", "Budget", level=3)
                yield Block("table", table=action.budget)
            if action.notes:
                yield Block("heading", "Notes de suivi de l'année", level=3)
                for note in action.notes:
                    author = f" ({note.author})" if note.author else ""
                    yield Block("item", f"{note.date}{author} : {note.text}")
            if action.decisions:
                yield Block("heading", "Décisions de l'année", level=3)
                for d in action.decisions:
                    yield Block("item", f"{d.kind} — {d.body} du {d.date} : {d.text}")
    yield Block("heading", "Réunions des instances de l'année", level=1)
    if not content.meetings:
        yield _p("Aucune réunion des instances cette année.")
    for meeting in content.meetings:
        yield Block("heading", f"{meeting.body} du {meeting.date}", level=3)
        parts = [x for x in (meeting.title, meeting.location, meeting.minutes) if x]
        yield _p(" — ".join(parts))
        for d in meeting.decisions:
            yield Block("item", f"{d.kind} : {d.text}")
    if content.conclusion:
        yield Block("heading", "Conclusion", level=1)
        yield _p(content.conclusion)
