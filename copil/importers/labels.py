"""Registry of fiche-action row labels and the heading patterns of a convention.

Conventions of the family word their fiche templates differently ("Pilote(s) de
l'action", "Porteur", "Maître d'ouvrage"; "Echéancier", "Calendrier"...), PDF
conversion loses spaces and accents, and a label cell may carry the beginning of
its value ("Descriptif de l'action Développer les coopérations..."). Labels are
therefore matched on `normalise_label` keys, exactly or as a prefix at a word
boundary, longest variant first.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from copil.importers.text import (
    clean_inline,
    cut_after_key_prefix,
    ligature_key,
    normalise_label,
)

# Field name -> label variants; "(...)" marks an optional part ("Pilote(s)").
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "shared_diagnosis": (
        "Diagnostic partagé",
        "Diagnostic",
        "Rappel de la problématique",
        "Problématique",
        "Contexte",
        "Enjeu(x)",
        "Constat(s)",
        "État des lieux",
    ),
    "operational_objectives": (
        "Objectif(s) opérationnel(s) (de l'action)",
        "Objectif(s) de l'action",
        "Objectif général",
        "Objectifs généraux",
    ),
    "target_audiences": (
        "Public(s) visé(s)",
        "Public(s) cible(s)",
        "Public(s) concerné(s)",
        "Bénéficiaires",
    ),
    "description": (
        "Descriptif (de l'action)",
        "Description (de l'action)",
        "Contenu de l'action",
        "Modalités de mise en œuvre",
        "Actions à mettre en œuvre",
    ),
    "expected_results": ("Résultat(s) attendu(s)", "Effet(s) attendu(s)", "Impact(s) attendu(s)"),
    "leads": (
        "Pilote(s) (de l'action)",
        "Porteur(s) (de l'action)",
        "Maître(s) d'ouvrage",
        "Référent(s) (de l'action)",
        "Responsable(s) (de l'action)",
    ),
    "partners": ("Partenaire(s) associé(s)", "Partenaire(s)", "Acteurs associés"),
    "schedule": (
        "Echéancier",
        "Calendrier",
        "Date de début de mise en œuvre",
        "Étapes (de mise en œuvre)",
        "Planning",
    ),
    "deliverables": ("Livrable(s)",),
    "budget": ("Budget (prévisionnel)", "Financement(s)", "Moyens", "Coût(s)"),
    "indicators": (
        "Indicateur(s) (d'évaluation)",
        "Modalités d'évaluation",
        "Critères d'évaluation",
        "Évaluation",
    ),
}
# Header rows of a fiche; matched exactly (a number row may carry its number).
HEADER_LABELS: dict[str, tuple[str, ...]] = {
    "theme": ("Thématique", "Thème", "Axe", "Axe stratégique"),
    "theme_number": ("Axe n°", "Thématique n°", "Axe numéro"),
    "orientation": ("Orientation(s)", "Orientation stratégique", "Objectif stratégique"),
    "orientation_number": ("Orientation n°",),
    "action": ("Action", "Intitulé (de l'action)", "Fiche action"),
    "number": ("Fiche action n°", "Fiche n°", "Action n°", "N° de fiche", "N° de l'action"),
}
NUMBER_FIELDS = frozenset(("theme_number", "orientation_number", "number"))
HEADER_FIELDS = frozenset(HEADER_LABELS)
_NUMBER = re.compile(r"^\s*(\d+(?:\s*[.\-]\s*\d+)*)\s*$")


@dataclass(frozen=True, slots=True)
class LabelMatch:
    field: str
    remainder: str = ""  # the beginning of the value, when the label cell carries it


def _variants(label: str) -> list[str]:
    """'Pilote(s) (de l'action)' -> Pilote, Pilotes, Pilote de l'action, ..."""
    parts = re.split(r"(\([^)]*\))", label)
    options = [[p[1:-1], ""] if p.startswith("(") else [p] for p in parts]
    return ["".join(choice) for choice in itertools.product(*options)]


def _build() -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for registry, allow_prefix in ((FIELD_LABELS, True), (HEADER_LABELS, False)):
        for field, labels in registry.items():
            for label in labels:
                for variant in _variants(label):
                    for key in {normalise_label(variant), ligature_key(variant)}:
                        exact.setdefault(key, field)
                        if allow_prefix or field in NUMBER_FIELDS:
                            prefixes.append((key, field))
    prefixes.sort(key=lambda kv: -len(kv[0]))
    return exact, prefixes


_EXACT, _PREFIXES = _build()


@lru_cache(maxsize=2048)
def match_label(cell: str) -> LabelMatch | None:
    """The field a label cell names, with the start of the value when it carries one."""
    text = clean_inline(cell)
    key = normalise_label(text)
    if not key:
        return None
    field = _EXACT.get(key) or _EXACT.get(ligature_key(text))
    if field:
        return LabelMatch(field)
    for prefix, field in _PREFIXES:
        if not key.startswith(prefix):
            continue
        remainder = cut_after_key_prefix(text, len(prefix))
        if remainder is None:
            continue
        if field in NUMBER_FIELDS and not _NUMBER.match(remainder):
            continue
        return LabelMatch(field, remainder)
    # A label that lost its ligatures ("Dé nition des ...") only matches exactly.
    return None


def parse_number(value: str) -> str | None:
    """'5.3', '5 . 3', '25' -> canonical '5.3' / '25'; None when not a number."""
    match = _NUMBER.match(value)
    return re.sub(r"\s*[.\-]\s*", ".", match.group(1)) if match else None


# --- Headings (paragraphs, never table rows) -------------------------------------------------

_SEP = r"\s*[:–—.\-]\s*"
_NO = r"(?:n\s*[°º]\s*|numéro\s*)?"
THEME_HEADING = re.compile(
    rf"^\s*(?:th[ée]matique|th[èe]me|axe)\s*{_NO}(\d{{1,2}})(?:{_SEP}(.*)|\s*)$", re.I
)
ORIENTATION_HEADING = re.compile(
    rf"^\s*orientation(?:\s+strat[ée]gique)?\s*{_NO}(\d{{1,2}})?{_SEP}(.+)$", re.I
)
FICHE_HEADING = re.compile(
    rf"^\s*fiche[\s\-]*action\s*{_NO}(\d+(?:\s*\.\s*\d+)*)\.?(?:{_SEP}(.*)|\s*)$", re.I
)
TOC_ACTION = re.compile(rf"^\s*(?:[-–•]\s*)?action\s*{_NO}(\d+(?:\.\d+)*)\s*[:–—\-]\s*(.+)$", re.I)
TITRE_HEADING = re.compile(r"^\s*titre\s+([IVX]+(?:\s*-\s*\d+)?)\b\s*[:–—\-]?\s*(.*)$", re.I)
ARTICLE_HEADING = re.compile(r"^\s*(?:[-–•]\s*)?article\s+(\d+)(?:er)?\b\s*[:–—.\-]?\s*(.*)$", re.I)
SUBARTICLE_HEADING = re.compile(
    r"^\s*(?:[-–•]\s*)?(?:art(?:icle|\.)?\s*)?(\d+)\.(\d+)\.?(?!\d)\s*[:–—\-]?\s*(\D.*)$", re.I
)
PREAMBLE_HEADING = re.compile(r"^\s*pr[ée]ambule\s*:?\s*$", re.I)
TOC_HEADING = re.compile(r"^\s*(?:sommaire|table\s+des\s+mati[èe]res)\b", re.I)
SIGNATURE = re.compile(r"^\s*fait\s+(?:à|a)\b", re.I)
PAGE_FOOTER = re.compile(r"^\s*(?:page\s*)?\d{1,3}\s*(?:(?:/|sur)\s*\d{1,3})?\s*$", re.I)
SEPARATOR_CELL = re.compile(r"^[\s\-–—|:=_+]*$")

MAX_HEADING_LENGTH = 300


def heading_title(raw: str | None) -> str:
    """The title part of a heading, cleaned (no trailing separator)."""
    return clean_inline(raw or "").strip(" :–—-")


def kind_of_titre(title: str) -> str | None:
    """'Orientations et priorités politiques transverses' -> 'transverse'."""
    key = normalise_label(title)
    if "transvers" in key:
        return "transverse"
    if "thematique" in key or "sectoriel" in key:
        return "thematic"
    return None
