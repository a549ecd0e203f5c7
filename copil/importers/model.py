"""What an importer returns: plain dataclasses, no Django.

The same shape feeds the database import service, the JSON output of
`copil import --dry-run --json` and the exporters, so that a document can go
round trip (document -> ImportedDocument -> document) without loss.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


class CopilImportError(Exception):
    """Base class of every importer failure (named so as not to shadow ImportError).

    `location` says where in the source the problem was found ("ligne 412", "page 3").
    """

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.message} ({self.location})" if self.location else self.message


class UnsupportedFormatError(CopilImportError):
    """The file is not a format the importer can read."""


class UnreadableDocumentError(CopilImportError):
    """The file is of a known format but is damaged or empty."""


class StructureNotFoundError(CopilImportError):
    """The document was read but no convention structure was recognised in it."""


@dataclass(slots=True)
class ImportWarning:
    """Something wrong or doubtful in the document; never blocks an import."""

    code: str  # stable, machine-readable: "toc_mismatch", "empty_field", ...
    message: str  # French, for the user
    location: str  # "ligne 512", "page 4", "fiche 5.2"


@dataclass(slots=True)
class Lead:
    institution: str  # canonical institution name from the alias registry, or the text as found
    unit: str = ""  # "Direction de l'action territoriale", "la PMI"...


@dataclass(slots=True)
class BudgetItem:
    institution: str | None
    amount_eur: Decimal | None = None
    fte: Decimal | None = None
    text: str = ""  # always the original wording


@dataclass(slots=True)
class IndicatorItem:
    label: str
    kind: str | None = None  # "output" | "outcome" | "impact" | None when the text does not say


@dataclass(slots=True)
class MilestoneItem:
    label: str  # the original text, always kept
    date: dt.date | None = None  # best date the text allows (end of the period named)


@dataclass(slots=True)
class ImportedAction:
    number: str  # "5.3"
    title: str
    shared_diagnosis: str = ""
    operational_objectives: str = ""
    target_audiences: str = ""
    description: str = ""
    expected_results: str = ""
    leads: list[Lead] = field(default_factory=list)
    leads_text: str = ""
    partners: list[str] = field(default_factory=list)
    partners_text: str = ""
    schedule: str = ""
    milestones: list[MilestoneItem] = field(default_factory=list)
    deliverables: list[str] = field(default_factory=list)
    budget: list[BudgetItem] = field(default_factory=list)
    budget_text: str = ""
    indicators: list[IndicatorItem] = field(default_factory=list)
    indicators_text: str = ""
    location: str = ""


@dataclass(slots=True)
class ImportedOrientation:
    number: int
    title: str
    introduction: str = ""
    actions: list[ImportedAction] = field(default_factory=list)


@dataclass(slots=True)
class ImportedTheme:
    number: int
    title: str
    kind: str = "thematic"  # "transverse" | "thematic"
    introduction: str = ""
    orientations: list[ImportedOrientation] = field(default_factory=list)


@dataclass(slots=True)
class ImportedParty:
    institution: str  # canonical name
    name_as_written: str = ""
    address: str = ""
    representative_name: str = ""
    representative_title: str = ""


@dataclass(slots=True)
class ImportedTerm:
    initial_term_months: int | None = None
    renewal_period_months: int | None = None
    tacit_renewal: bool = False
    max_total_term_months: int | None = None
    notice_period_months: int | None = None
    notice_form: str | None = None  # "registered_letter" | "letter" | "any" | None
    effective_date: dt.date | None = None
    text: str = ""  # the clause as written


@dataclass(slots=True)
class ImportedGovernanceBody:
    kind: str  # "steering" | "technical" | "bilateral" | "thematic"
    name: str
    frequency: str = ""  # as written: "au moins une fois par an", "trimestrielle"
    composition: str = ""


@dataclass(slots=True)
class ImportedDeliberation:
    reference: str  # "CG/2013/17"
    body: str = ""  # "Commission permanente du Conseil Général"
    date: dt.date | None = None
    text: str = ""


@dataclass(slots=True)
class ImportedArticle:
    number: str  # "1", "5.1"
    title: str
    text: str = ""


@dataclass(slots=True)
class ImportedSpecificConvention:
    kind: str  # "management" | "funding" | "project" | "data_exchange"
    title: str


@dataclass(slots=True)
class ReviewItem:
    """One line of the review (bilan) of a previous convention, by domain."""

    domain: str
    text: str


@dataclass(slots=True)
class ImportedDocument:
    title: str
    source_format: str = "text"  # "text" | "docx" | "odt" | "pdf" | "markdown" | "json"
    layout: str = "convention"  # "convention" | "report"
    reference: str = ""  # "CG/2013/17" for a report
    summary: str = ""
    parties: list[ImportedParty] = field(default_factory=list)
    term: ImportedTerm = field(default_factory=ImportedTerm)
    articles: list[ImportedArticle] = field(default_factory=list)
    cooperation_principles: list[str] = field(default_factory=list)
    governance_bodies: list[ImportedGovernanceBody] = field(default_factory=list)
    specific_conventions: list[ImportedSpecificConvention] = field(default_factory=list)
    deliberations: list[ImportedDeliberation] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    themes: list[ImportedTheme] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)

    def actions(self) -> list[ImportedAction]:
        return [a for t in self.themes for o in t.orientations for a in o.actions]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Integral amounts print as integers (25000), others keep their decimals (0.1).
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def to_json(doc: ImportedDocument) -> dict[str, Any]:
    """The JSON shape of `copil import --json` (keys are part of the public contract)."""
    return _jsonable(dataclasses.asdict(doc))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: Any) -> dt.date | None:
    return None if not value else dt.date.fromisoformat(value)


def from_json(data: dict[str, Any]) -> ImportedDocument:
    """Inverse of to_json (used by the JSON importer and the round-trip tests)."""

    def action(a: dict[str, Any]) -> ImportedAction:
        return ImportedAction(
            **{
                **a,
                "leads": [Lead(**x) for x in a.get("leads", [])],
                "milestones": [
                    MilestoneItem(label=m["label"], date=_date(m.get("date")))
                    for m in a.get("milestones", [])
                ],
                "budget": [
                    BudgetItem(
                        institution=b.get("institution"),
                        amount_eur=_decimal(b.get("amount_eur")),
                        fte=_decimal(b.get("fte")),
                        text=b.get("text", ""),
                    )
                    for b in a.get("budget", [])
                ],
                "indicators": [IndicatorItem(**x) for x in a.get("indicators", [])],
            }
        )

    term = dict(data.get("term") or {})
    term["effective_date"] = _date(term.get("effective_date"))
    return ImportedDocument(
        **{
            **data,
            "parties": [ImportedParty(**p) for p in data.get("parties", [])],
            "term": ImportedTerm(**term),
            "articles": [ImportedArticle(**x) for x in data.get("articles", [])],
            "governance_bodies": [
                ImportedGovernanceBody(**x) for x in data.get("governance_bodies", [])
            ],
            "specific_conventions": [
                ImportedSpecificConvention(**x) for x in data.get("specific_conventions", [])
            ],
            "deliberations": [
                ImportedDeliberation(**{**x, "date": _date(x.get("date"))})
                for x in data.get("deliberations", [])
            ],
            "review": [ReviewItem(**x) for x in data.get("review", [])],
            "themes": [
                ImportedTheme(
                    **{
                        **t,
                        "orientations": [
                            ImportedOrientation(
                                **{**o, "actions": [action(a) for a in o.get("actions", [])]}
                            )
                            for o in t.get("orientations", [])
                        ],
                    }
                )
                for t in data.get("themes", [])
            ],
            "warnings": [ImportWarning(**w) for w in data.get("warnings", [])],
        }
    )
