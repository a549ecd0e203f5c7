"""Clauses of the general part of a convention: term, governance, specific conventions.

Each parser reads one clause as written and returns the model's rules; unknown
wordings give None / [] so the caller can warn, never a guess presented as fact.
"""

from __future__ import annotations

import re

from copil.importers.frdates import parse_french_date
from copil.importers.model import (
    ImportedGovernanceBody,
    ImportedSpecificConvention,
    ImportedTerm,
)

FRENCH_NUMBER_WORDS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "dix-huit": 18,
    "vingt-quatre": 24,
    "trente-six": 36,
    "quarante-huit": 48,
}
_N = r"(?P<n>\d+|" + "|".join(sorted(FRENCH_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>ans?|ann[ée]es?|mois)\b"
_DURATION = rf"{_N}\s*(?:\(\s*\d+\s*\)\s*)?{_UNIT}"


def _months(m: re.Match[str]) -> int:
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else FRENCH_NUMBER_WORDS[raw]
    return n if m["unit"].lower() == "mois" else n * 12


def _patterns(*sources: str) -> list[re.Pattern[str]]:
    return [re.compile(source, re.I) for source in sources]


_INITIAL = _patterns(
    rf"(?:(?:pour|sur)\s+une|d['’]une)\s+(?:dur[ée]e|p[ée]riode)\s+(?:initiale\s+)?(?:de\s+|d['’])?{_DURATION}",
    rf"dur[ée]e\s+(?:de\s+la\s+convention\s+)?(?:est\s+)?(?:fix[ée]e\s+)?[àa]\s+{_DURATION}",
    rf"(?:conclue?|sign[ée]e|pass[ée]e|[ée]tablie)\s+pour\s+{_DURATION}",
)
_RENEW = r"(?:renouvel\w*|reconduit\w*|reconduction)[^.;]*?"
_RENEWAL = _patterns(
    rf"{_RENEW}\b(?:par|pour)\s+(?:des\s+|une\s+)?p[ée]riodes?\s+(?:successives?\s+)?"
    rf"(?:de\s+|d['’])?{_DURATION}",
    rf"{_RENEW}\bpour\s+(?:une\s+)?dur[ée]e\s+(?:de\s+|d['’])?{_DURATION}",
)
_YEARLY = re.compile(
    rf"{_RENEW}\b(?:chaque ann[ée]e|annuellement|d['’]ann[ée]e en ann[ée]e|tous les ans)"
    r"|(?:chaque ann[ée]e|annuellement|d['’]ann[ée]e en ann[ée]e)[^.;]*?(?:renouvel|recondu)",
    re.I,
)
_MAX = _patterns(
    rf"(?:dans\s+la\s+limite|sans\s+(?:pouvoir\s+)?exc[ée]der|ne\s+(?:pourra|peut)\s+exc[ée]der)"
    rf"\s*(?:de\s+|d['’])?(?:une\s+dur[ée]e\s+(?:totale\s+)?(?:de\s+|d['’])?)?{_DURATION}",
    rf"dur[ée]e\s+(?:totale|maximale)\s+(?:de\s+la\s+convention\s+)?(?:est\s+)?(?:fix[ée]e\s+)?"
    rf"(?:[àa]|de)\s+{_DURATION}",
)
_NOTICE = _patterns(
    rf"pr[ée]avis\s+(?:minimum\s+|minimal\s+)?(?:de\s+|d['’])?{_DURATION}",
    rf"{_DURATION}\s+(?:au\s+moins\s+|au\s+minimum\s+)?avant\s+(?:l['’][ée]ch[ée]ance|le\s+terme"
    rf"|la\s+date)",
)


def _matches(patterns: list[re.Pattern[str]], text: str) -> list[re.Match[str]]:
    """Every match of any pattern, in text order."""
    return sorted((m for p in patterns for m in p.finditer(text)), key=lambda m: m.start())


def _first(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    found = _matches(patterns, text)
    return found[0] if found else None


_TACIT = re.compile(
    r"tacite\s+reconduction|(?:reconduit|renouvel)\w*\s+tacitement|tacitement\s+"
    r"(?:reconduit|renouvel)\w*",
    re.I,
)
# "renouvelable ... sauf dénonciation": renewal happens unless a party objects
_UNLESS_DENOUNCED = re.compile(r"sauf\s+(?:d[ée]nonciation|r[ée]siliation|opposition)", re.I)
_EXPRESS = re.compile(
    r"reconduction\s+expresse|express[ée]ment\s+(?:reconduit|renouvel)"
    r"|par\s+voie\s+d['’]avenant\s+(?:de\s+)?(?:renouvellement|reconduction)",
    re.I,
)
_EFFECT = re.compile(
    r"(?:[àa]\s+compter\s+du|prend\s+effet\s+(?:le|au|à\s+compter\s+du)|entre\s+en\s+vigueur\s+le"
    r"|[àa]\s+partir\s+du|effet\s+au)\s+(?P<date>[^,.;]{4,40})",
    re.I,
)


def notice_form(text: str) -> str | None:
    """How notice must be given: "registered_letter", "letter" or None when unsaid."""
    if re.search(r"recommand[ée]|\bLRAR\b|accus[ée] de r[ée]ception", text, re.I):
        return "registered_letter"
    if re.search(r"par [ée]crit|par courrier|par lettre", text, re.I):
        return "letter"
    return None


def parse_term_clause(text: str) -> ImportedTerm | None:
    """Term rules of a duration clause, None when the text states no term at all.

    "conclue pour une durée de 3 ans renouvelable ensuite par période de 1 an sauf
    dénonciation ... préavis de 6 mois" -> 36 / 12 / tacit / 6 / registered_letter.
    "renouvelable chaque année, par tacite reconduction, dans la limite de 4 ans"
    -> 12 / 12 / tacit / max 48 (a yearly renewable convention runs a year first).
    """
    flat = re.sub(r"\s+", " ", text).strip()
    term = ImportedTerm(text=text.strip())
    renewal = _first(_RENEWAL, flat)
    if renewal:
        term.renewal_period_months = _months(renewal)
    elif _YEARLY.search(flat):
        term.renewal_period_months = 12
    for m in _matches(_INITIAL, flat):
        if renewal and renewal.start() <= m.start() < renewal.end():
            continue  # "reconduite pour une durée de 1 an" is the renewal, not the term
        term.initial_term_months = _months(m)
        break
    if (
        term.initial_term_months is None
        and term.renewal_period_months == 12
        and _YEARLY.search(flat)
    ):
        term.initial_term_months = 12
    maximum = _first(_MAX, flat)
    if maximum:
        term.max_total_term_months = _months(maximum)
    notice = _first(_NOTICE, flat)
    if notice:
        term.notice_period_months = _months(notice)
    renewable = term.renewal_period_months is not None
    tacit = _TACIT.search(flat) or (renewable and _UNLESS_DENOUNCED.search(flat))
    term.tacit_renewal = bool(tacit) and not _EXPRESS.search(flat)
    term.notice_form = (
        notice_form(flat) if (notice or re.search(r"d[ée]nonc|r[ée]sili", flat, re.I)) else None
    )
    effect = _EFFECT.search(flat)
    if effect:
        term.effective_date = parse_french_date(effect["date"])
    found = (
        term.initial_term_months,
        term.renewal_period_months,
        term.max_total_term_months,
        term.notice_period_months,
        term.effective_date,
    )
    return term if any(v is not None for v in found) or term.tacit_renewal else None


_BODY_START = re.compile(
    r"^(?:[→•*-]\s*)?(?:un|une|des|le|la|les|l['’])?\s*(?P<name>(?:comit[ée]s?|rencontres?|r[ée]unions?"
    r"|instances?|groupes?|commissions?|conf[ée]rences?|copil|cotech|points?)\b[^.:]*)",
    re.I,
)
_FREQUENCY = re.compile(
    r"au moins (?:une|deux|trois|quatre|\d+) fois par (?:an|année|semestre|trimestre|mois)"
    r"|(?:une|deux|trois|quatre|\d+) fois par (?:an|année|semestre|trimestre|mois)"
    r"|en tant que de besoin|autant que de besoin|si n[ée]cessaire|à la demande de[^.,;]*"
    r"|chaque (?:année|semestre|trimestre|mois)|tous les \w+ mois"
    r"|\b(?:annuelle|semestrielle|trimestrielle|mensuelle|bimestrielle)s?\b",
    re.I,
)
_NAME_END = re.compile(
    r"\s+(?:qui|réunissant|associant|composée?s?|sont|est|se\s+réuni\w*|organisée?s?|entre|"
    r"en tant|chargée?s?)\b|,",
    re.I,
)
_STOP = r"(?P<{0}>.+?)(?=[.\n:;]|\s+(?:Ce|Cette|Ces|Il|Elle|Ils|Elles)\s|$)"
_COMPOSITION = re.compile(
    r"compos[ée]e?s?\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])"
    + _STOP.format("c")
    + r"|(?:réunissant|associant)\s+(?:les\s+)?"
    + _STOP.format("r")
    + r"|\bentre\s+(?:les\s+)?"
    + _STOP.format("e"),
    re.I,
)


def _kind(text: str) -> str | None:
    low = text.lower()
    if re.search(r"bilat[ée]ral", low):
        return "bilateral"
    if re.search(r"th[ée]matique", low) and not re.search(r"pilotage|strat[ée]gique", low):
        return "thematic"
    if re.search(r"technique|administrati|op[ée]rationnel|entre les services", low):
        return "technical"
    if re.search(r"pilotage|strat[ée]gique|politique|copil", low):
        return "steering"
    return None


def _governance_items(text: str) -> list[str]:
    items: list[str] = []
    for line in re.split(r"\n|(?=→)", text):
        line = line.strip()
        if not line:
            continue
        if re.match(r"^[-•*→]\s*", line) or _BODY_START.match(line) or not items:
            items.append(line)
        else:
            items[-1] += "\n" + line  # "Il est composé..." continues the body above
    return items


def parse_governance(text: str) -> list[ImportedGovernanceBody]:
    """Governance bodies ("→ un comité de pilotage politique qui se réunit au moins...").

    Only an item that *introduces* a body counts ("un comité...", "Des rencontres
    bilatérales..."); "Ce comité assure..." describes one already named. Kind: steering
    (pilotage/stratégique/politique), technical (administratif/technique/between the
    services), bilateral, thematic.
    """
    bodies: list[ImportedGovernanceBody] = []
    for item in _governance_items(text):
        m = _BODY_START.match(item)
        if not m:
            continue
        name = _NAME_END.split(m["name"], maxsplit=1)[0].strip(" ,;")
        name = name[:1].upper() + name[1:]
        frequency = _FREQUENCY.search(item)
        composition = _COMPOSITION.search(item)
        comp = ""
        if composition:
            comp = next(g for g in composition.groups() if g).strip(" ,;")
        kind = _kind(name) or _kind(item) or "steering"
        if any(b.name.lower() == name.lower() for b in bodies):
            continue
        bodies.append(
            ImportedGovernanceBody(
                kind=kind,
                name=name,
                frequency=frequency.group().strip() if frequency else "",
                composition=comp,
            )
        )
    return bodies


_SPECIFIC_KINDS = (
    ("data_exchange", r"donn[ée]es|[ée]changes? d"),
    ("funding", r"financement|cofinancement|subvention"),
    ("management", r"gestion|d[ée]l[ée]gation"),
    ("project", r"projets?"),
)


def parse_specific_conventions(text: str) -> list[ImportedSpecificConvention]:
    """Kinds of specific conventions a framework convention announces (Article 4.3).

    Items that name none of the four kinds are skipped (the caller keeps the article).
    """
    out: list[ImportedSpecificConvention] = []
    raws = [r for line in text.split("\n") for r in re.split(r"(?:^|\s)[-•*→]\s+", line)]
    for raw in raws:
        item = re.sub(r"\s+", " ", raw).strip(" ,;.")
        if (
            not item
            or item.rstrip().endswith(":")
            or not re.match(r"(?i)(?:de |d['’]|convention)", item)
        ):
            continue
        for kind, pattern in _SPECIFIC_KINDS:
            if re.search(pattern, item, re.I):
                title = item if item.lower().startswith("convention") else f"Convention {item}"
                out.append(
                    ImportedSpecificConvention(kind=kind, title=title[:1].upper() + title[1:])
                )
                break
    return out
