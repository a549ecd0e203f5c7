"""Frequency rules of governance bodies: is a committee overdue?

The conventions say "au moins une fois par an", "trimestrielle", "en tant que de
besoin"; these are turned into a maximum gap between two meetings, and checked against
the meetings held.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from copil.core.durations import add_months


@dataclass(frozen=True)
class FrequencyRule:
    max_gap_months: int | None  # None: no rule ("en tant que de besoin")
    label: str


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


_PATTERNS = [
    (
        re.compile(r"trimestri|chaque trimestre|tous les trois mois|par trimestre"),
        3,
        "trimestrielle",
    ),
    (re.compile(r"semestri|deux fois par an|tous les six mois|2 fois par an"), 6, "semestrielle"),
    (re.compile(r"mensuel|chaque mois|tous les mois"), 1, "mensuelle"),
    (re.compile(r"(une|1) fois par an|annuel|chaque annee|tous les ans"), 12, "annuelle"),
]


def parse_frequency(text: str) -> FrequencyRule:
    folded = _fold(text)
    for pattern, months, label in _PATTERNS:
        if pattern.search(folded):
            return FrequencyRule(months, label)
    return FrequencyRule(None, "en tant que de besoin")


def next_meeting_due(
    rule: FrequencyRule, last_meeting: dt.date | None, since: dt.date
) -> dt.date | None:
    """The day by which the body must have met again; None when no rule applies.

    With no meeting yet, the gap runs from `since` (the convention's effective date).
    """
    if rule.max_gap_months is None:
        return None
    return add_months(last_meeting or since, rule.max_gap_months)


def is_overdue(
    rule: FrequencyRule, last_meeting: dt.date | None, since: dt.date, on: dt.date
) -> bool:
    due = next_meeting_due(rule, last_meeting, since)
    return due is not None and on > due


# --- the status of a body on a given day ------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1..4

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return add_months(self.start, 3) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"T{self.number} {self.year}"

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class BodyStatus:
    """Where a body stands on ``on`` against its frequency rule.

    ``due_on``: the day by which it must have met again (None: no rule);
    ``overdue``: that day has passed; ``missed_quarter``: for a quarterly body, the
    first calendar quarter, now ended, without a meeting (None: none missed).
    ``late`` is what pages flag ("en retard"): overdue or a missed quarter.
    """

    rule: FrequencyRule
    last_meeting: dt.date | None
    due_on: dt.date | None
    overdue: bool
    missed_quarter: Quarter | None = None

    @property
    def late(self) -> bool:
        return self.overdue or self.missed_quarter is not None


def _missed_quarter(last_meeting: dt.date | None, since: dt.date, on: dt.date) -> Quarter | None:
    """The first ended quarter that should have held a meeting and did not.

    After a meeting, the next quarter must hold one; with no meeting yet, the quarter of
    ``since`` when it starts on its first day, else the next (a quarter begun before the
    effective date is not owed a meeting).
    """
    if last_meeting is not None:
        owed = Quarter.of(last_meeting).next()
    else:
        owed = Quarter.of(since)
        if since != owed.start:
            owed = owed.next()
    return owed if owed.end < on else None


def body_status(
    rule: FrequencyRule | str, last_meeting: dt.date | None, since: dt.date, on: dt.date
) -> BodyStatus:
    """The status of a body whose rule is ``rule`` (or the document's words), last met on
    ``last_meeting`` (None: never), for a convention in effect since ``since``, on ``on``.

    Quarterly bodies ("trimestrielle") must meet in every calendar quarter; the others
    within their maximum gap (next_meeting_due / is_overdue).
    """
    if isinstance(rule, str):
        rule = parse_frequency(rule)
    due = next_meeting_due(rule, last_meeting, since)
    missed = None
    if rule.max_gap_months == 3:
        missed = _missed_quarter(last_meeting, since, on)
    return BodyStatus(
        rule=rule,
        last_meeting=last_meeting,
        due_on=due,
        overdue=is_overdue(rule, last_meeting, since, on),
        missed_quarter=missed,
    )


# --- the composition of a body ------------------------------------------------------------

DEPARTEMENT = "Département"
CAF = "CAF"


@dataclass(frozen=True)
class Seat:
    """One seat of a body: a role ("Président du Conseil Départemental") and, when the
    words name it, the institution it belongs to ("Département", "CAF"; None: unknown)."""

    role: str
    institution: str | None = None


#: The last of these in a seat's words tells its institution.
_INSTITUTION_HINTS = (
    (
        re.compile(
            r"\b(?:conseil (?:departemental|general)|departement(?:al|ale)?|cd ?\d*|cg ?\d*)\b"
        ),
        DEPARTEMENT,
    ),
    (re.compile(r"\b(?:caf ?\d*|caisse d.allocations familiales)\b"), CAF),
)
_LEADING = re.compile(r"^(?:(?:et|ainsi que)\s+)?(?:du|des|de\s+la|de\s+l['’]|de|d['’])\s*", re.I)
_INTRO = re.compile(
    r"^.*?\b(?:compos[ée]e?s?|r[ée]unissant|associant)\s+(?:de\s+|par\s+)?", re.I | re.S
)
_PREPOSITION = re.compile(r"\s+(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*", re.I)
_CONNECTOR = re.compile(r"^(?:et|ainsi que|ou)$", re.I)


def institution_hint(text: str) -> str | None:
    """The institution named last in ``text``: "Département", "CAF" or None."""
    folded = _fold(text)
    best: tuple[int, str] | None = None
    for pattern, name in _INSTITUTION_HINTS:
        for m in pattern.finditer(folded):
            if best is None or m.start() >= best[0]:
                best = (m.start(), name)
    return best[1] if best else None


def _split_top_level(text: str) -> list[str]:
    """Split on commas, semicolons and " et " outside parentheses."""
    parts: list[str] = []
    depth = 0
    current = ""
    i = 0
    while i < len(text):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        if depth == 0 and c in ",;":
            parts.append(current)
            current = ""
            i += 1
            continue
        if depth == 0:
            m = re.match(r"\s+(?:et|ainsi que)\s+", text[i:], re.I)
            if m:
                parts.append(current)
                current = ""
                i += m.end()
                continue
        current += c
        i += 1
    parts.append(current)
    return [p.strip(" \t\n.") for p in parts if p.strip(" \t\n.")]


def _is_bare_institution(words: str) -> bool:
    """True for words naming an institution and nothing else ("la CAF", "Département")."""
    rest = _fold(words)
    for pattern, _name in _INSTITUTION_HINTS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b(?:la|le|l|les|du|de|des|d)\b|['’]", " ", rest)
    return not rest.strip()


def _role_stem(role: str) -> str | None:
    """The role without the institution phrase that ends it ("représentants des services"
    for "représentants des services du Département"; None: it ends with none)."""
    role = re.sub(r"\s*\([^)]*\)\s*$", "", role)
    for m in reversed(list(_PREPOSITION.finditer(role))):
        tail = role[m.end() :]
        if institution_hint(tail) and _is_bare_institution(tail):
            stem = role[: m.start()].strip()
            return stem if stem and not _is_bare_institution(stem) else None
    return None


def parse_composition(text: str) -> list[Seat]:
    """The seats of a composition sentence.

    "Il est composé du Président du Conseil Départemental, du Président du Conseil
    d'Administration de la CAF, du Directeur Général des Services du Conseil Départemental
    (ou de son représentant) et du Directeur de la CAF" gives four seats, two for each
    institution; the words stored by the importer ("Président du Conseil Départemental,
    du Président ...") give the same. "représentants des services du Département et de
    la CAF" gives two seats, one per institution, the role repeated for the second.
    """
    text = " ".join(text.split())
    text = _INTRO.sub("", text, count=1)
    seats: list[Seat] = []
    for part in _split_top_level(text):
        words = _LEADING.sub("", part, count=1).strip()
        if not re.search(r"\w", words) or _CONNECTOR.match(words):
            continue
        hint = institution_hint(words)
        stem = _role_stem(seats[-1].role) if seats and hint else None
        if stem is not None and _is_bare_institution(words):
            # "... du Département et de la CAF": the previous role, for this institution.
            article = part[: len(part) - len(words)].strip()
            article = re.sub(r"^(?:et|ainsi que)\s+", "", article, flags=re.I)
            joiner = "" if article.endswith(("'", "’")) else " "
            role = f"{stem} {article}{joiner}{words}" if article else f"{stem} {words}"
            seats.append(Seat(role, hint))
            continue
        seats.append(Seat(words[:1].upper() + words[1:], hint))
    return seats
