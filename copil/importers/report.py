"""Reader for the "rapport à l'assemblée" layout (e.g. CG/2013/17, renewal of the CAF
convention): a report to the Conseil Général that carries a convention's content
without its articles.

Layout: title, "Rapport n° ...", "Résumé :", roman-numbered parts (I principles,
II review of the previous convention by domain, III themes with bullet actions), a
"Dispositif de concertation", the term sentence, then the draft deliberation and the
signature. Each theme becomes one ImportedTheme with a single orientation (the report
has no orientation level) whose actions are the theme's bullets, numbered "N.k".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from copil.importers.frdates import parse_french_date
from copil.importers.institutions import DEFAULT_REGISTRY, InstitutionRegistry
from copil.importers.model import (
    ImportedAction,
    ImportedDeliberation,
    ImportedDocument,
    ImportedOrientation,
    ImportedParty,
    ImportedTheme,
    ImportWarning,
    ReviewItem,
)
from copil.importers.source import SourceLine
from copil.importers.terms import FRENCH_NUMBER_WORDS, parse_governance, parse_term_clause

_REFERENCE = re.compile(r"(?i)^rapport\s+n\s*[°o]\s*(?P<ref>\S+)")
_ROMAN = re.compile(r"^(?P<num>[IVX]{1,4})\s*[–—-]\s*(?P<title>\S.*)$")
_BULLET = re.compile(r"^\s*[-•*]\s*(?:[.*]\s*)?")
_DOMAIN = re.compile(r"(?i)^au titre (?:du|de la|de l['’]|des|de)\s*(?P<domain>.+?)\s*:?$")
_DELIBERATION_START = re.compile(r"(?i)^sur proposition\b|adopter le projet de d[ée]lib[ée]ration")
_SIGNED = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][\w' -]{1,40}),\s+le\s+(?P<date>\d{1,2}(?:er)?[\s/.].*\d{2})\s*$"
)


def looks_like_report(lines: Sequence[SourceLine]) -> bool:
    """True for a report to the assembly, False for a convention (articles, fiches)."""
    texts = [line.text.strip() for line in lines[:600] if line.text.strip()]
    score = 0
    if any(_REFERENCE.match(t) for t in texts):
        score += 2
    if any(re.search(r"(?i)projet de d[ée]lib[ée]ration", t) for t in texts):
        score += 1
    if any(re.match(r"(?i)^r[ée]sum[ée]\s*:", t) for t in texts):
        score += 1
    if any(re.match(r"(?i)^(?:fiche action\b|article\s+1\b)", t) for t in texts):
        score -= 3
    return score >= 2


def _clean(text: str) -> str:
    """A bullet's text: no marker, no "*" emphasis left by converters, no final ";"."""
    text = _BULLET.sub("", text).strip()
    text = re.sub(r"\*+$", "", text).strip()
    return text.rstrip(" ;,").strip()


def _strip_period(text: str) -> str:
    return text[:-1].rstrip() if text.endswith(".") and not text.endswith("..") else text


def _is_theme_heading(text: str, following: str | None) -> bool:
    return (
        bool(text)
        and not _BULLET.match(text)
        and not text[0].isspace()
        and text[0].isupper()
        and len(text.split()) <= 6
        and text[-1] not in ".:;,"
        and following is not None
        and bool(_BULLET.match(following))
    )


class _Lines:
    """Non-empty lines with their position, and the start of each part of the report."""

    def __init__(self, lines: Sequence[SourceLine]) -> None:
        self.items = [(line.text.rstrip(), line.location) for line in lines if line.text.strip()]

    def find(self, pattern: str, start: int = 0) -> int:
        for index in range(start, len(self.items)):
            if re.search(pattern, self.items[index][0].strip()):
                return index
        return len(self.items)

    def texts(self, start: int, stop: int) -> list[str]:
        return [text for text, _ in self.items[start:stop]]


def _themes(lines: _Lines, start: int, stop: int) -> list[ImportedTheme]:
    themes: list[ImportedTheme] = []
    action: ImportedAction | None = None
    for index in range(start, stop):
        text, location = lines.items[index]
        following = lines.items[index + 1][0] if index + 1 < stop else None
        if _is_theme_heading(text, following):
            number = len(themes) + 1
            themes.append(
                ImportedTheme(
                    number, text.strip(), orientations=[ImportedOrientation(1, text.strip())]
                )
            )
            action = None
        elif not themes:
            continue
        elif _BULLET.match(text) and not text[0].isspace():
            orientation = themes[-1].orientations[0]
            number = f"{themes[-1].number}.{len(orientation.actions) + 1}"
            action = ImportedAction(number, _strip_period(_clean(text)), location=location)
            orientation.actions.append(action)
        elif action is not None:  # sub-bullets and "Il s'agit de :" explain the action above
            line = ("- " if _BULLET.match(text) else "") + _clean(text)
            action.description = (
                f"{action.description}\n{line}".strip() if line else action.description
            )
    return themes


def _review(lines: _Lines, start: int, stop: int) -> list[ReviewItem]:
    items: list[ReviewItem] = []
    domain = ""
    for text in lines.texts(start, stop):
        m = _DOMAIN.match(text.strip())
        if m:
            domain = re.sub(r"\bet (?:de la |de l['’]|du |des |de )", "et ", m["domain"])
            domain = domain[:1].upper() + domain[1:]
        elif domain and _BULLET.match(text):
            items.append(ReviewItem(domain, _strip_period(_clean(text))))
    return items


def _deliberation(lines: _Lines, reference: str, start: int) -> tuple[ImportedDeliberation, str]:
    """The draft deliberation, its body and date, and the signatory's name."""
    texts = lines.texts(start, len(lines.items))
    body, date, kept, signature = "", None, [], []
    signed = False
    for text in texts:
        stripped = text.strip()
        m = _SIGNED.match(stripped)
        if m and not signed:
            date, signed = parse_french_date(m["date"]), True
            signature.append(stripped)
            continue
        if signed:
            if not re.match(r"(?i)^an? (?:handwritten|image|signature)\b", stripped):
                signature.append(stripped)  # skip image descriptions left by converters
            continue
        if re.search(r"(?i)je vous demande", stripped):
            continue
        found = re.search(
            r"(?i)sur proposition de (?:la |le |l['’])?.+?,\s*(?:le |la |l['’])?(.+?)\s*:$",
            stripped,
        )
        if found:
            body = found.group(1)
        if _BULLET.match(text):
            marker = "  - " if re.match(r"^\s*-\s*\.", text) else "- "
            kept.append(marker + _clean(text))
        else:
            kept.append(stripped)
    text = "\n".join(kept + ([""] + signature if signature else []))
    name = signature[-1] if len(signature) > 1 else ""
    return ImportedDeliberation(reference=reference, body=body, date=date, text=text), name


def _parties(
    title: str, signatory: str, body: str, registry: InstitutionRegistry
) -> list[ImportedParty]:
    m = re.search(
        r"(?i)\bentre\s+(?:la |le |l['’])?(?P<a>.+?)\s+et\s+(?:la |le |l['’])?(?P<b>.+)$", title
    )
    if not m:
        return []
    parties = []
    for written in (m["a"], m["b"]):
        canonical = registry.canonical(written)
        party = ImportedParty(canonical, name_as_written=written.strip())
        if canonical == registry.lookup("Département") and signatory:
            party.representative_name = signatory
            party.representative_title = f"Président du {body}" if body else "Président"
        parties.append(party)
    # the Département first, as in the conventions themselves
    dept = registry.lookup("Département")
    return sorted(parties, key=lambda p: p.institution != dept)


def _fill_parts(doc: ImportedDocument, lines: _Lines, starts: list[int], end: int) -> None:
    """Principles (I), review of the previous convention (II), themes and actions (III)."""
    items = lines.items
    bounds = [*starts, end]
    for position, start in enumerate(starts):
        stop = bounds[position + 1]
        heading = items[start][0].lower()
        if "principes" in heading:
            intro = lines.find(r"(?i)principes de coop[ée]ration suivants", start)
            if intro < stop:
                doc.cooperation_principles = [
                    _strip_period(_clean(t))
                    for t in lines.texts(intro + 1, stop)
                    if _BULLET.match(t)
                ]
        elif "bilan" in heading:
            doc.review = _review(lines, start + 1, stop)
        elif re.search(r"perspectives|th[ée]mati", heading):
            doc.themes = _themes(lines, start + 1, stop)
            _check_theme_count(doc, "\n".join(lines.texts(start, stop)), items[start][1])


def _check_theme_count(doc: ImportedDocument, text: str, location: str) -> None:
    """Warn when "Huit thématiques partagées sont proposées" and another count was read."""
    pattern = (
        r"(?i)\b(\d+|"
        + "|".join(sorted(FRENCH_NUMBER_WORDS, key=len, reverse=True))
        + r")\s+th[ée]matiques"
    )
    announced = re.search(pattern, text)
    if not announced:
        return
    word = announced.group(1).lower()
    count = int(word) if word.isdigit() else FRENCH_NUMBER_WORDS[word.lower()]
    if count != len(doc.themes):
        message = f"Le rapport annonce {count} thématiques, {len(doc.themes)} ont été lues."
        doc.warnings.append(ImportWarning("theme_count_mismatch", message, location))


def parse_report(
    lines: list[SourceLine],
    source_format: str = "text",
    registry: InstitutionRegistry | None = None,
) -> ImportedDocument:
    """An ImportedDocument (layout "report") from the lines of a report to the assembly.

    The deliberation's date is the one of the signature ("Strasbourg, le 03/06/13"), the
    only date such a report carries; the signatory goes to the text of the deliberation
    and, as representative, to the Département's party.
    """
    registry = registry or DEFAULT_REGISTRY
    doc_lines = _Lines(lines)
    items = doc_lines.items
    ref_index = next((i for i, (t, _) in enumerate(items) if _REFERENCE.match(t.strip())), None)
    ref_match = _REFERENCE.match(items[ref_index][0].strip()) if ref_index is not None else None
    reference = ref_match["ref"] if ref_match else ""
    title = items[ref_index - 1][0].strip() if ref_index else (items[0][0].strip() if items else "")
    doc = ImportedDocument(
        title=title, source_format=source_format, layout="report", reference=reference
    )
    if not reference:
        doc.warnings.append(
            ImportWarning(
                "missing_reference", "Numéro de rapport introuvable.", "début du document"
            )
        )

    summary_start = doc_lines.find(r"(?i)^r[ée]sum[ée]\s*:")
    part_starts = [i for i, (t, _) in enumerate(items) if _ROMAN.match(t.strip())]
    first_part = part_starts[0] if part_starts else len(items)
    doc.summary = "\n".join(t.strip() for t in doc_lines.texts(summary_start + 1, first_part))
    concertation = doc_lines.find(r"(?i)^dispositif de concertation\s*$")
    deliberation_start = doc_lines.find(r"(?i)projet de d[ée]lib[ée]ration")
    _fill_parts(doc, doc_lines, part_starts, concertation)

    governance_text = "\n".join(doc_lines.texts(concertation + 1, deliberation_start))
    doc.governance_bodies = parse_governance(governance_text)
    for text in doc_lines.texts(first_part, deliberation_start):
        if re.search(r"(?i)renouvel|reconduc|dur[ée]e de", text):
            term = parse_term_clause(text.strip())
            if term is not None:
                doc.term = term
                break
    else:
        doc.warnings.append(
            ImportWarning("missing_term", "Durée de la convention introuvable.", "rapport")
        )

    if deliberation_start < len(items):
        deliberation, signatory = _deliberation(doc_lines, reference, deliberation_start)
        doc.deliberations.append(deliberation)
        doc.parties = _parties(title, signatory, deliberation.body, registry)
    else:
        doc.parties = _parties(title, "", "", registry)
    return doc
