"""One fiche action: its table rows in, an ImportedAction and its warnings out.

The rows of a fiche arrive in document order, including the debris of page breaks:
a row with an empty label continues the previous value; a row whose label cell is
not a label continues a label cell that carried the start of its value (fiche 1.1,
"Descriptif de l'action Développer ... de" / "contractualisation, ..."); separator
rows ("--\t---") and stray page numbers are dropped. Fragments are cleaned one by
one and rejoined with a space when the sentence was cut, with a line break when a
new paragraph or list item starts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from copil.importers.institutions import InstitutionRegistry
from copil.importers.labels import (
    HEADER_FIELDS,
    PAGE_FOOTER,
    SEPARATOR_CELL,
    match_label,
    parse_number,
)
from copil.importers.model import ImportedAction, ImportWarning
from copil.importers.source import SourceLine
from copil.importers.text import clean_inline, clean_items, join_inline

_PLACEHOLDERS = frozenset(("", "-", "/", "–", "—", "--", "---", ".", "…", "..."))
_SENTENCE_END = (".", "!", "?", ";", ":", "…")
_BUDGET_WORDS = re.compile(
    r"€|\beuros?\b|\bETP\b|moyens\s+humains|engagements\s+financiers|moyens\s+constants"
    r"|\bsurco[ûu]ts?\b",
    re.I,
)
TEXT_FIELDS = (
    "shared_diagnosis",
    "operational_objectives",
    "target_audiences",
    "description",
    "expected_results",
)
STORED_AS = {
    "leads": "leads_text",
    "partners": "partners_text",
    "schedule": "schedule",
    "budget": "budget_text",
    "indicators": "indicators_text",
}


@dataclass(slots=True)
class FieldAcc:
    """The fragments of one row, possibly spread over several source rows."""

    label: str  # the label as written, for messages
    location: str
    index: int
    label_parts: list[str] = field(default_factory=list)
    value_parts: list[str] = field(default_factory=list)

    def text(self) -> str:
        head = join_fragments(self.label_parts)
        body = join_fragments(self.value_parts)
        return "\n".join(part for part in (head, body) if part)


def join_fragments(raw_parts: list[str]) -> str:
    """Rejoin the cleaned fragments of a value cut by page breaks."""
    result = ""
    for raw in raw_parts:
        items = clean_items(raw)
        if not items:
            continue
        text = "\n".join(item.text for item in items)
        if not result:
            result = text
        elif items[0].bullet or result.endswith(_SENTENCE_END):
            result = f"{result}\n{text}"
        else:
            result = f"{result} {text}"
    return result


@dataclass(slots=True)
class RawFiche:
    """A fiche as collected by the structure pass, before it is placed in the plan."""

    number: str | None
    heading_title: str
    location: str
    index: int
    theme_context: int | None = None
    orientation_context: int | None = None
    fields: dict[str, FieldAcc] = field(default_factory=dict)
    unknown_rows: list[tuple[str, str, int]] = field(default_factory=list)
    _last: FieldAcc | None = None
    _label_tail: bool = False

    @property
    def has_rows(self) -> bool:
        return bool(self.fields or self.unknown_rows)

    def has_content_fields(self) -> bool:
        return any(name not in HEADER_FIELDS for name in self.fields)

    def add_row(self, line: SourceLine, index: int) -> None:
        cells = line.cells or (line.text,)
        if all(SEPARATOR_CELL.match(cell) for cell in cells):
            return
        label_raw = cells[0]
        value_raw = "\n".join(cell for cell in cells[1:] if cell.strip())
        label_text = clean_inline(label_raw)
        if not label_text or SEPARATOR_CELL.match(label_text):
            if self._last is not None and not PAGE_FOOTER.match(clean_inline(value_raw)):
                self._last.value_parts.append(value_raw)
            return
        match = match_label(label_raw)
        continued = self._label_tail or label_text[:1].islower()
        if match is None and self._last is not None and continued:
            # the end of a label cell that carried the start of its value (fiche 1.1)
            self._last.label_parts.append(label_raw)
            self._last.value_parts.append(value_raw)
            return
        if match is None and not value_raw.strip() and PAGE_FOOTER.match(label_text):
            return  # a page number that landed in the label column
        if match is None:
            self.unknown_rows.append((label_text, line.location, index))
            self._last, self._label_tail = None, False
            return
        acc = self.fields.get(match.field)
        if acc is None:
            shown = label_text[: len(label_text) - len(match.remainder)].strip() or label_text
            acc = self.fields[match.field] = FieldAcc(shown, line.location, index)
        if match.remainder:
            acc.label_parts.append(match.remainder)
        acc.value_parts.append(value_raw)
        self._last, self._label_tail = acc, bool(match.remainder)

    def header(self, name: str) -> str:
        acc = self.fields.get(name)
        return join_inline(acc.text().splitlines()) if acc else ""

    def resolved_number(self) -> str | None:
        """The fiche's number: heading first, then a "Fiche action n°" row."""
        return self.number or parse_number(self.header("number") or "")


class WarningSink:
    """Warnings with the index of their source line, so they come out in document order."""

    def __init__(self) -> None:
        self._items: list[tuple[int, int, ImportWarning]] = []

    def add(self, index: int, code: str, message: str, location: str) -> None:
        self._items.append((index, len(self._items), ImportWarning(code, message, location)))

    def sorted(self) -> list[ImportWarning]:
        return [w for _, _, w in sorted(self._items, key=lambda t: (t[0], t[1]))]


def _field_parsers():  # noqa: ANN202 - a module or None
    """The field-level parsers (another module, written in parallel); None if absent."""
    try:
        from copil.importers import fields
    except ImportError:  # pragma: no cover - only while fields.py does not exist
        return None
    return fields


def _shorten(text: str, size: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class FieldContext:
    """What the field parsers need from the whole document."""

    year_hint: int | None = None  # first year of the convention, for "fin septembre"
    registry: InstitutionRegistry | None = None  # "CD", "Caf" point to this convention's parties


def build_action(
    fiche: RawFiche, number: str, title: str, sink: WarningSink, context: FieldContext
) -> ImportedAction:
    """The ImportedAction of a fiche, warning on empty fields and misplaced budget text."""
    action = ImportedAction(number=number, title=title, location=fiche.location)
    values: dict[str, str] = {}
    for name, acc in fiche.fields.items():
        if name in HEADER_FIELDS:
            continue
        value = acc.text()
        if value.strip().casefold() in _PLACEHOLDERS:
            shown = f" (« {value.strip()} »)" if value.strip() else ""
            sink.add(
                acc.index,
                "empty_field",
                f"Fiche {number} : le champ « {acc.label} » n'est pas renseigné{shown}.",
                acc.location,
            )
            value = ""
        values[name] = value
    for name in TEXT_FIELDS:
        setattr(action, name, values.get(name, ""))
    for name, attribute in STORED_AS.items():
        setattr(action, attribute, values.get(name, ""))
    leads = fiche.fields.get("leads")
    if leads and _BUDGET_WORDS.search(action.leads_text):
        sink.add(
            leads.index,
            "budget_in_leads",
            f"Fiche {number} : la ligne « {leads.label} » contient des éléments budgétaires "
            f"(« {_shorten(action.leads_text)} ») ; vérifiez le pilote et le budget de l'action.",
            leads.location,
        )
    parsers = _field_parsers()
    if parsers is not None:
        registry = context.registry
        action.leads = parsers.parse_leads(action.leads_text, registry)
        action.partners = parsers.parse_partners(action.partners_text, registry)
        action.milestones = parsers.parse_milestones(action.schedule, context.year_hint)
        action.deliverables = parsers.parse_deliverables(values.get("deliverables", ""))
        action.budget = parsers.parse_budget(action.budget_text, registry)
        action.indicators = parsers.parse_indicators(action.indicators_text)
    for label, location, index in fiche.unknown_rows:
        sink.add(
            index,
            "unknown_row",
            f"Fiche {number} : la ligne « {_shorten(label, 60)} » n'est pas une rubrique "
            "connue d'une fiche action ; son contenu n'a pas été importé.",
            location,
        )
    return action


def warn_missing_fields(fiches: list[tuple[RawFiche, str]], sink: WarningSink) -> None:
    """A rubric most fiches of the document have but this one lacks is a gap in the fiche."""
    if len(fiches) < 3:
        return
    counts = Counter(
        name for fiche, _ in fiches for name in fiche.fields if name not in HEADER_FIELDS
    )
    usual = {name for name, count in counts.items() if count * 2 > len(fiches)}
    labels = {}
    for fiche, _ in fiches:
        for name, acc in fiche.fields.items():
            labels.setdefault(name, acc.label)
    for fiche, number in fiches:
        for name in sorted(usual - fiche.fields.keys()):
            sink.add(
                fiche.index,
                "missing_field",
                f"Fiche {number} : la rubrique « {labels[name]} » est absente.",
                fiche.location,
            )
