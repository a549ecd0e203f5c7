"""The one description of an exported convention, rendered by every writer.

`convention_blocks` turns an ImportedDocument into an ordered list of blocks
(headings, paragraphs, two-column tables) laid out like the source conventions:
title, parties, articles (the term clause as "Art 5.1"), then the plan, one
"FICHE ACTION n.m" table per action. The DOCX, ODT and Markdown writers only
render these blocks, so the three formats cannot drift apart, and re-importing
any of them goes through the same structure parser as the originals.

Values are written so that the field parsers find the structure again: one lead
per line as "Pour <institution> : <unit>", one budget item per line as
"<institution> : <text>", one indicator per line prefixed by its kind, one
partner, deliverable or milestone per line. When a list is empty the original
wording (the *_text field) is written instead, so nothing the user typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from copil.importers.institutions import DEFAULT_REGISTRY
from copil.importers.model import (
    ImportedAction,
    ImportedDocument,
    ImportedGovernanceBody,
    ImportedOrientation,
    ImportedParty,
    ImportedTheme,
)

TERM_HEADING = "Art 5.1 – Date d'effet et durée de la convention"
PLAN_HEADING = "Titre II – Orientations et priorités politiques partagées"
KIND_HEADINGS = {
    "transverse": "Titre II-1 – Orientations et priorités politiques transverses",
    "thematic": "Titre II-2 – Orientations et priorités politiques thématiques",
}
INDICATOR_PREFIXES = {
    "output": "Indicateur de réalisation : ",
    "outcome": "Indicateur de résultat : ",
    "impact": "Indicateur d'impact : ",
}


@dataclass(frozen=True, slots=True)
class Block:
    """A heading (level 0 = document title), a paragraph or a (label, value) table."""

    kind: str  # "heading" | "paragraph" | "table"
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, str], ...] = ()


def heading(text: str, level: int) -> Block:
    return Block("heading", text=text, level=level)


def paragraphs(text: str) -> list[Block]:
    """One paragraph block per non-empty line of a multi-line text."""
    return [Block("paragraph", text=line.strip()) for line in text.splitlines() if line.strip()]


def convention_blocks(doc: ImportedDocument) -> list[Block]:
    """The whole document, in reading order."""
    blocks = [heading(doc.title, 0)]
    blocks += _parties(doc.parties)
    blocks += _articles(doc)
    blocks += _plan(doc.themes)
    return blocks


def _parties(parties: list[ImportedParty]) -> list[Block]:
    blocks: list[Block] = []
    for index, party in enumerate(parties):
        blocks += paragraphs("Entre" if index == 0 else "Et")
        blocks += paragraphs(party.name_as_written or party.institution)
        blocks += paragraphs(party.address)
        if party.representative_name or party.representative_title:
            blocks += paragraphs(_represented_by(party))
    return blocks


_FEMININE_TITLE = re.compile(r"(?i)^(?:vice-)?\w+(?:ente|rice|ète|esse)\b")


def _represented_by(party: ImportedParty) -> str:
    """ "Représenté par le Président du ..., Monsieur Frédéric BIERRY".

    The import keeps neither the article nor the civility, but a French reader and
    the header parser both need them; both follow the grammatical gender of the title.
    """
    title, name = party.representative_title, party.representative_name
    feminine = bool(_FEMININE_TITLE.match(title))
    if title:
        article = "l'" if title[:1].lower() in "aeéèiouy" else ("la " if feminine else "le ")
        title = article + title
    if name:
        name = ("Madame " if feminine else "Monsieur ") + name
    return "Représenté par " + ", ".join(p for p in (title, name) if p)


def _articles(doc: ImportedDocument) -> list[Block]:
    """Articles as imported; cooperation principles and governance bodies that no
    article text carries (data entered in the app) get an article of their own."""
    principles = set(doc.cooperation_principles)
    blocks: list[Block] = []
    numbers = {a.number for a in doc.articles}
    placed: set[str] = set()
    for article in doc.articles:
        if "." in article.number:
            blocks.append(heading(f"Art {article.number} – {article.title}", 3))
        else:
            blocks.append(heading(f"Article {article.number} : {article.title}", 2))
        for block in paragraphs(article.text):
            if block.text in principles:  # the parser reads them as the article's list items
                placed.add(block.text)
                block = Block("paragraph", text=f"- {block.text}")
            blocks.append(block)
    missing = [p for p in doc.cooperation_principles if p not in placed]
    governance_placed = any(
        re.search(r"(?i)gouvernance|pilotage", a.title) and a.text for a in doc.articles
    )
    if (missing or (doc.governance_bodies and not governance_placed)) and "4" not in numbers:
        blocks.append(heading("Article 4 : Modalités de gouvernance et de partenariat", 2))
    if missing:
        blocks.append(heading("Art 4.1 – Principe de coopération", 3))
        blocks += [Block("paragraph", text=f"- {p}") for p in missing]
    if doc.governance_bodies and not governance_placed:
        blocks.append(heading("Art 4.2 – Modalités de gouvernance", 3))
        blocks += [Block("paragraph", text=_governance_line(b)) for b in doc.governance_bodies]
    if doc.term.text and "5.1" not in numbers:
        if "5" not in numbers:
            blocks.append(heading("Article 5 : Vie de la convention", 2))
        blocks.append(heading(TERM_HEADING, 3))
        blocks += paragraphs(doc.term.text)
    return blocks


_FEMININE_BODIES = ("réunion", "instance", "commission", "conférence")


def _governance_line(body: ImportedGovernanceBody) -> str:
    """ "→ Un comité de pilotage qui se réunit <fréquence>. Il est composé de <…>." """
    first = body.name.split(" ", 1)[0].lower()
    article = "Des" if first.endswith("s") else "Une" if first in _FEMININE_BODIES else "Un"
    text = f"→ {article} {body.name[:1].lower()}{body.name[1:]}"
    if body.frequency:
        text += f" qui se réunit {body.frequency}"
    text += "."
    if body.composition:
        text += f" Il est composé de {body.composition}."
    return text


def _plan(themes: list[ImportedTheme]) -> list[Block]:
    if not themes:
        return []
    blocks = [heading(PLAN_HEADING, 1)]
    kind = None
    for theme in themes:
        if theme.kind != kind and theme.kind in KIND_HEADINGS:
            kind = theme.kind
            blocks.append(heading(KIND_HEADINGS[kind], 1))
        blocks.append(heading(f"THEMATIQUE {theme.number} : {theme.title}", 2))
        blocks += paragraphs(theme.introduction)
        for orientation in theme.orientations:
            blocks.append(heading(f"Orientation {orientation.number} : {orientation.title}", 3))
            blocks += paragraphs(orientation.introduction)
            for action in orientation.actions:
                blocks.append(heading(f"FICHE ACTION {action.number}", 4))
                blocks.append(Block("table", rows=action_rows(theme, orientation, action)))
    return blocks


def action_rows(
    theme: ImportedTheme, orientation: ImportedOrientation, action: ImportedAction
) -> tuple[tuple[str, str], ...]:
    """The fiche-action table, with the labels of the source conventions."""
    return (
        ("THEMATIQUE", theme.title),
        ("ORIENTATION", orientation.title),
        ("ACTION", action.title),
        ("Diagnostic partagé", action.shared_diagnosis),
        ("Objectifs opérationnels de l'action", action.operational_objectives),
        ("Publics visés", action.target_audiences),
        ("Descriptif de l'action", action.description),
        ("Résultats attendus", action.expected_results),
        ("Pilote de l'action", _leads(action)),
        ("Partenaires associés", _lines(action.partners) or action.partners_text),
        ("Echéancier", _schedule(action)),
        ("Livrables", _lines(action.deliverables)),
        ("Budget prévisionnel", _budget(action)),
        ("Indicateurs d'évaluation", _indicators(action)),
    )


def _lines(items: list[str]) -> str:
    return "\n".join(item for item in items if item)


def _leads(action: ImportedAction) -> str:
    """ "Pour X : unit" per lead; bare names, one per line, when no lead has a unit."""
    if not any(lead.unit for lead in action.leads):
        return _lines([lead.institution for lead in action.leads]) or action.leads_text
    return _lines([f"Pour {lead.institution} : {lead.unit}".rstrip() for lead in action.leads])


def _schedule(action: ImportedAction) -> str:
    # The schedule is a field of its own; milestones are what the parser reads in it.
    return action.schedule or _lines([m.label for m in action.milestones])


def _budget(action: ImportedAction) -> str:
    """One item per line; "<institution> : " opens each institution's run of items.

    Items after the first of a run need no prefix (the parser gives them to the
    institution above), and a text that already names its institution ("CD : 45 000 €",
    as imported items keep it) is not prefixed twice.
    """
    lines, previous = [], None
    for item in action.budget:
        text = item.text or _amount_text(item.amount_eur, item.fte)
        if item.institution and item.institution != previous and not _names_institution(text):
            text = f"{item.institution} : {text}"
        previous = item.institution
        lines.append(text)
    return _lines(lines) or action.budget_text


_POUR = re.compile(r"(?i)^pour\s+")


def _names_institution(text: str) -> bool:
    head, colon, _ = text.partition(":")
    return bool(colon) and DEFAULT_REGISTRY.lookup(_POUR.sub("", head.strip())) is not None


def _amount_text(amount: Decimal | None, fte: Decimal | None) -> str:
    """French wording of an amount entered without text: "45 000 €", "0,5 ETP"."""
    parts = []
    if amount is not None:
        whole = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",").removesuffix(",00")
        parts.append(f"{whole} €".replace("\u202f", " "))
    if fte is not None:
        parts.append(f"{fte.normalize():f}".replace(".", ",") + " ETP")
    return " – ".join(parts)


def _indicators(action: ImportedAction) -> str:
    lines = [INDICATOR_PREFIXES.get(i.kind or "", "") + i.label for i in action.indicators]
    return _lines(lines) or action.indicators_text
