"""The content of an annual review ("bilan annuel"), as plain frozen dataclasses.

copil.reviews.selectors reads the database once and builds this tree with every text
already written in French (dates dd/mm/yyyy, money and counts formatted, small counts
masked by statistical secrecy); the renderers (the PDF template, copil.exporters.
review_docx and review_odt) only lay it out. One chart model (``Chart``) serves the SVG
of the PDF and of the web page and the PNG of the DOCX and ODT.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ChartPoint:
    """One bar: the year, its value (None: no value, or masked) and the text to show."""

    label: str
    value: Decimal | None
    text: str
    target: Decimal | None = None  # the year's target, drawn as a tick
    current: bool = False  # the year under review, drawn darker


@dataclass(frozen=True)
class Chart:
    title: str
    description: str  # what a screen reader says, and the image's alternative text
    points: tuple[ChartPoint, ...]
    unit: str = ""

    @property
    def has_values(self) -> bool:
        return any(p.value is not None or p.target is not None for p in self.points)

    @property
    def has_targets(self) -> bool:
        return any(p.target is not None for p in self.points)


@dataclass(frozen=True)
class Row:
    """A table row of texts."""

    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    footer: Row | None = None  # totals

    @property
    def lines(self) -> tuple[str, ...]:
        """Each row, then the footer, as one line: "Caf du Bas-Rhin : 10 000 € ; 0,5 ETP ;
        précisions" (empty and "—" cells left out): how the PDF lays out a short table, as
        a paragraph is far cheaper than a table for WeasyPrint."""
        rows = (*self.rows, self.footer) if self.footer else self.rows
        lines = []
        for row in rows:
            first, *rest = row.cells
            values = [cell for cell in rest if cell and cell != "—"]
            lines.append(f"{first} : {' ; '.join(values) if values else '—'}")
        return tuple(lines)


@dataclass(frozen=True)
class Party:
    name: str  # the institution
    detail: str  # name in the document, representative...


@dataclass(frozen=True)
class Cover:
    title: str  # "Bilan annuel 2020"
    convention: str
    reference: str
    parties: tuple[Party, ...]
    year: int
    period: str  # "du 01/01/2020 au 31/12/2020"
    status: str  # "Projet", "Examiné par le comité technique"...
    validation: str  # "Validé le 12/03/2021 par le comité de pilotage du 12/03/2021" or ""
    review_note: str  # "Examiné le ..." or ""
    generated_on: str  # "Édité le 23/11/2026"
    draft: bool  # no stored review: generated from the data only


@dataclass(frozen=True)
class Milestone:
    label: str
    due: str  # "31/12/2020" or "—"
    state: str  # "atteint le 02/05/2020", "en retard", "prévu"
    late: bool


@dataclass(frozen=True)
class Measurement:
    period: str
    territory: str
    value: str  # masked when a small count
    status: str


@dataclass(frozen=True)
class Indicator:
    anchor: str  # "action-5-3-i1": the chart's id
    label: str
    kind: str
    unit: str
    value: str  # the year's value, masked when needed
    target: str
    achievement: str
    previous: str  # value of year - 1, or "—"
    trend: str
    measurements: tuple[Measurement, ...]
    chart: Chart | None

    @property
    def measurements_text(self) -> str:
        """The year's measurements on one line: "2020 — ensemble : 55 ; Nord : 12 ; Sud : < 5"
        (a paragraph lays out far faster than a table in the PDF), then their state."""
        if not self.measurements:
            return ""
        parts = []
        for period in dict.fromkeys(m.period for m in self.measurements):
            values = " ; ".join(
                f"{m.territory} : {m.value}" for m in self.measurements if m.period == period
            )
            parts.append(f"{period} — {values}")
        states = ", ".join(dict.fromkeys(m.status.lower() for m in self.measurements))
        return f"Mesures {' | '.join(parts)} (état : {states})"


@dataclass(frozen=True)
class Decision:
    date: str
    body: str
    kind: str
    text: str


@dataclass(frozen=True)
class Note:
    date: str
    author: str
    text: str


@dataclass(frozen=True)
class Comparison:
    """The action at the end of the previous year against now."""

    previous_status: str  # "nouveau" when the action did not exist yet
    status: str
    previous_progress: str
    progress: str


@dataclass(frozen=True)
class Action:
    anchor: str  # "action-5-3"
    number: str
    title: str
    leads: str
    status: str
    progress: str  # "40 %"
    progress_value: int
    comparison: Comparison
    milestones: tuple[Milestone, ...]
    indicators: tuple[Indicator, ...]
    budget: Table | None
    notes: tuple[Note, ...]
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class Narrative:
    achievements: str
    difficulties: str
    outlook: str

    @property
    def is_empty(self) -> bool:
        return not (self.achievements or self.difficulties or self.outlook)


@dataclass(frozen=True)
class Theme:
    anchor: str  # "theme-5"
    number: int
    title: str  # "Thématique 5 : ..."
    narrative: Narrative
    actions: tuple[Action, ...]
    summary: str  # "3 actions : 1 réalisée, 2 en cours"


@dataclass(frozen=True)
class Meeting:
    date: str
    body: str
    title: str
    location: str
    minutes: str  # "compte rendu approuvé" / "compte rendu en projet"
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int


@dataclass(frozen=True)
class Summary:
    paragraphs: tuple[str, ...]
    statuses: Table  # status x count, this year and the previous
    budget: Table  # totals per institution


@dataclass(frozen=True)
class ReviewContent:
    cover: Cover
    introduction: str
    summary: Summary
    themes: tuple[Theme, ...]
    meetings: tuple[Meeting, ...]
    conclusion: str
    threshold: int
    secrecy_note: str
    toc: tuple[TocEntry, ...] = field(default=())

    @property
    def filename_stem(self) -> str:
        return f"bilan-{self.cover.year}"


# --- the content as JSON: the snapshot of a validated review -------------------------------

#: The version of the JSON written by ``to_dict``; ``from_dict`` reads this one and older
#: ones (a field added later has a default, so an older snapshot still loads).
SCHEMA = 1


class SnapshotError(ValueError):
    """A stored snapshot that cannot be read back."""


def to_dict(content: ReviewContent) -> dict[str, Any]:
    """The content as JSON-ready values: dataclasses as objects, tuples as lists, decimals
    as strings (exact); plus ``"schema"``."""
    data = _dump(content)
    data["schema"] = SCHEMA
    return data


def from_dict(data: dict[str, Any]) -> ReviewContent:
    """The content stored by ``to_dict``, equal to the original."""
    if not isinstance(data, dict):
        raise SnapshotError("the snapshot is not an object")
    schema = data.get("schema")
    if not isinstance(schema, int) or not 1 <= schema <= SCHEMA:
        raise SnapshotError(f"unknown snapshot schema: {schema!r}")
    try:
        return _load(ReviewContent, {k: v for k, v in data.items() if k != "schema"})
    except (KeyError, TypeError, ArithmeticError, ValueError) as exc:
        raise SnapshotError(f"unreadable snapshot: {exc}") from exc


def _dump(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_dump(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _load(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = (a for a in typing.get_args(kind) if a is not type(None))
        return _load(inner, value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_load(item, v) for v in value)
    if isinstance(kind, type) and is_dataclass(kind):
        hints = _hints(kind)
        return kind(
            **{f.name: _load(hints[f.name], value[f.name]) for f in fields(kind) if f.name in value}
        )
    if kind is Decimal:
        return Decimal(value)
    if kind in (str, int, bool) and not isinstance(value, kind):
        raise TypeError(f"{value!r} is not a {kind.__name__}")
    return value


SECTION_SUMMARY = ("synthese", "Synthèse")
SECTION_INTRODUCTION = ("introduction", "Introduction")
SECTION_MEETINGS = ("instances", "Réunions des instances de l'année")
SECTION_CONCLUSION = ("conclusion", "Conclusion")


def table_of_contents(content: ReviewContent) -> tuple[TocEntry, ...]:
    """The entries of the table of contents, in document order (levels 1 and 2)."""
    entries = []
    if content.introduction:
        entries.append(TocEntry(*SECTION_INTRODUCTION, 1))
    entries.append(TocEntry(*SECTION_SUMMARY, 1))
    for theme in content.themes:
        entries.append(TocEntry(theme.anchor, theme.title, 1))
        for action in theme.actions:
            entries.append(TocEntry(action.anchor, f"Action {action.number} : {action.title}", 2))
    entries.append(TocEntry(*SECTION_MEETINGS, 1))
    if content.conclusion:
        entries.append(TocEntry(*SECTION_CONCLUSION, 1))
    return tuple(entries)
