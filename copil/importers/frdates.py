"""French date wordings of conventions ("Fin 2019", "2e trimestre 2020", "1er juillet 2019").

A schedule names periods more often than days. Each period resolves to its *end*
(the deadline a milestone must meet): "Juin 2019" -> 2019-06-30, "2018-2022" ->
2022-12-31. Exceptions, chosen so a date is never later than what the text promises:
- "Début 2020" -> 2020-03-31 (end of the first quarter); "début juin 2020" -> 2020-06-10;
- "A compter de 2019" / "à partir de septembre 2019" -> the *start* (2019-01-01,
  2019-09-01): the text gives a start, not a deadline;
- "30 juin de chaque année" recurs: no date unless a `year_hint` is given, then its
  first occurrence in that year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    "décembre": 12,
}
_MONTH = (
    r"(?P<month>janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre"
    r"|novembre|d[ée]cembre)"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_ORDINAL = {
    "premier": 1,
    "1er": 1,
    "deuxieme": 2,
    "deuxième": 2,
    "second": 2,
    "seconde": 2,
    "troisieme": 3,
    "troisième": 3,
    "quatrieme": 4,
    "quatrième": 4,
    "dernier": 4,
}
_ORD = (
    r"(?P<ord>\d\s*(?:\^\{?\w+\}?|er|re|ère|e|è?me|nde?)?|premier|1er|deuxi[eè]me|seconde?"
    r"|troisi[eè]me|quatri[eè]me|dernier)"
)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month(name: str) -> int:
    return MONTHS[name.lower()]


def _day(text: str) -> int:
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else 1  # "premier"


def _exact(m: re.Match[str], hint: int | None) -> dt.date | None:
    return dt.date(int(m["year"]), _month(m["month"]), _day(m["day"]))


def _numeric(m: re.Match[str], hint: int | None) -> dt.date | None:
    year = int(m["y"])
    year = year + 2000 if year < 100 else year
    return dt.date(year, int(m["m"]), int(m["d"]))


def _recurring(m: re.Match[str], hint: int | None) -> dt.date | None:
    return dt.date(hint, _month(m["month"]), _day(m["day"])) if hint else None


def _from(m: re.Match[str], hint: int | None) -> dt.date | None:
    return dt.date(int(m["year"]), _month(m["month"]) if m["month"] else 1, 1)


def _relative(m: re.Match[str], hint: int | None) -> dt.date | None:
    year, word = int(m["year"]), m["rel"].lower().rstrip("- ")
    if not m["month"]:
        return {"début": dt.date(year, 3, 31), "debut": dt.date(year, 3, 31)}.get(
            word, dt.date(year, 6, 30) if word.startswith("mi") else dt.date(year, 12, 31)
        )
    month = _month(m["month"])
    if word in ("début", "debut"):
        return dt.date(year, month, 10)
    return dt.date(year, month, 15) if word.startswith("mi") else month_end(year, month)


def _period(m: re.Match[str], hint: int | None) -> dt.date | None:
    raw = m["ord"].lower()
    number = _ORDINAL.get(raw) or int(re.match(r"\d", raw).group())  # type: ignore[union-attr]
    year = int(m["year"])
    if m["unit"].lower().startswith("sem"):
        return dt.date(year, 6, 30) if number == 1 else dt.date(year, 12, 31)
    return month_end(year, min(number, 4) * 3)


def _month_year(m: re.Match[str], hint: int | None) -> dt.date | None:
    return month_end(int(m["year"]), _month(m["month"]))


def _range(m: re.Match[str], hint: int | None) -> dt.date | None:
    return dt.date(int(m["end"]), 12, 31)


def _year(m: re.Match[str], hint: int | None) -> dt.date | None:
    return dt.date(int(m["year"]), 12, 31)


_Resolver = Callable[[re.Match[str], int | None], dt.date | None]
_DAY = r"(?P<day>\d{1,2}\s*(?:\^\{?er\}?|er)?|premier)"
# Most specific first: a span consumed by one pattern is not read again by the next.
PATTERNS: list[tuple[re.Pattern[str], _Resolver]] = [
    (re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}|\d\d)\b"), _numeric),
    (re.compile(rf"\b{_DAY}\s+{_MONTH}\s+{_YEAR}\b", re.I), _exact),
    (re.compile(rf"\b{_DAY}\s+{_MONTH}\s+(?:de\s+)?chaque\s+ann[ée]e", re.I), _recurring),
    (
        re.compile(
            rf"(?:\b[àa]\s+(?:compter|partir)|\bdès)\s+(?:de\s+|d['’]|du\s+mois\s+d['’e]\s*)?"
            rf"(?:{_MONTH}\s+)?{_YEAR}\b",
            re.I,
        ),
        _from,
    ),
    (
        re.compile(
            rf"\b(?P<rel>fin|d[ée]but|mi-?|courant)\s*(?:de\s+l['’]ann[ée]e\s+|d['’])?"
            rf"(?:{_MONTH}\s+)?{_YEAR}\b",
            re.I,
        ),
        _relative,
    ),
    (re.compile(rf"\b{_ORD}\s*(?P<unit>trimestre|semestre)\s+(?:de\s+)?{_YEAR}\b", re.I), _period),
    (re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.I), _month_year),
    (re.compile(r"(?<![\d/])(?:19|20)\d\d\s*[-–/]\s*(?P<end>(?:19|20)\d\d)(?![\d/])"), _range),
    (re.compile(rf"(?<![\d/\-–]){_YEAR}(?![\d/])"), _year),
]


def find_dates(text: str, year_hint: int | None = None) -> list[tuple[int, dt.date | None]]:
    """Every date wording in `text`: (position, resolved date or None when recurring)."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, dt.date | None]] = []
    for pattern, resolve in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            try:
                value = resolve(m, year_hint)
            except (ValueError, KeyError):
                continue
            taken.append(m.span())
            found.append((m.start(), value))
    return sorted(found, key=lambda x: x[0])


def best_date(text: str, year_hint: int | None = None) -> dt.date | None:
    """The latest date the text names (the deadline), None when it names none."""
    dates = [d for _, d in find_dates(text, year_hint) if d is not None]
    return max(dates) if dates else None


def parse_french_date(text: str) -> dt.date | None:
    """An exact day ("1er juillet 2019", "03/06/13"), None otherwise."""
    for pattern, resolve in PATTERNS[:2]:
        m = pattern.search(text)
        if m:
            try:
                return resolve(m, None)
            except (ValueError, KeyError):
                return None
    return None
