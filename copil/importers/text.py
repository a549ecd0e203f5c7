"""Text cleaning shared by every structure parser.

PDF-to-text converters leave HTML fragments (<p>, <ul style=...>, <li>, <u>, ^{er})
and flatten bulleted lists into one line ("... : - item - item"); Word readers give
one paragraph per line. `clean_field` turns both into the same thing: plain text,
one list item per line, whitespace normalised, words otherwise kept exactly as
written, so that a field can be compared, stored and exported again.

`normalise_label` is the comparison key used to recognise labels and headings
whatever their case, accents, punctuation or lost spaces ("Ficheactionn°25").
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_SUPERSCRIPT = re.compile(r"(?:(?<=\d) +(?=\^))?(?:\^\{([^}]*)\}|\^(?=\w))")
_MARKDOWN_EMPHASIS = re.compile(r"\*\*|__(?=\w)|(?<=\w)__")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)\s*>")
_BLOCK_TAGS = frozenset(
    ("p", "div", "ul", "ol", "li", "br", "tr", "td", "th", "table", "tbody", "thead")
    + ("h1", "h2", "h3", "h4", "h5", "h6", "section")
)
_LIST_TAGS = frozenset(("ul", "ol", "li"))
_SPACES = re.compile(r"\s+")
_GLYPHS = "✓✔○◦•●▪■►➤➢❖→"
# Where a segment starts with a bullet: "- x", "-Durée", "• x", "→ x".
_LEADING_BULLET = re.compile(rf"^(?:[-–—]+(?=\s+\S|[^\W\d])|[{_GLYPHS}](?=\s))\s*")
_LEADING_O = re.compile(r"^o\s+(?=\S)")
_LEADING_CHARS = frozenset("-–—" + _GLYPHS)
_GLYPH = re.compile(f"[{_GLYPHS}]")
# Candidate item separators inside a flattened list (see _split_items for the rules).
_MARKERS = re.compile(
    rf"""(?P<glyph>(?<=\s)[{_GLYPHS}](?=\s))
    |(?P<dash>(?<=\s)-\s+(?=\S))
    |(?P<dashcap>(?<=\s)-(?=[A-ZÀ-ÖØ-Þ]))
    |(?P<glued>(?<=[^\s(\-])-\s+(?=\S))
    |(?P<o>(?<=\s)o\s+(?=\S))""",
    re.X,
)
_NON_ALNUM = re.compile(r"[\W_]+")
_LOST_LIGATURES = re.compile(r"ffi|ffl|ff|fi|fl")
_FOLD_TABLE = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_FOLD_CHARS = re.compile("[œŒæÆß]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


@dataclass(frozen=True, slots=True)
class Item:
    """One line of a cleaned field; `bullet` says it was a list item in the source."""

    text: str
    bullet: bool = False


def _segments(raw: str) -> list[tuple[str, bool]]:
    """Split on block tags and newlines; the flag says the segment opens a list (<ul>, <li>)."""
    text = raw
    if "^" in text:
        text = _SUPERSCRIPT.sub(lambda m: m.group(1) or "", text)
    if "**" in text or "__" in text:
        text = _MARKDOWN_EMPHASIS.sub("", text)
    segments: list[tuple[str, bool]] = []
    in_list = False
    cursor = 0
    buffer: list[str] = []

    def flush(next_in_list: bool) -> None:
        nonlocal in_list
        chunk = "".join(buffer)
        buffer.clear()
        for n, part in enumerate(chunk.split("\n")):
            segments.append((part, in_list and n == 0))
        in_list = next_in_list

    for match in _TAG.finditer(text):
        buffer.append(html.unescape(text[cursor : match.start()]))
        cursor = match.end()
        name = match.group(2).lower()
        if name in _BLOCK_TAGS:
            flush(next_in_list=name in _LIST_TAGS and not match.group(1))
    buffer.append(html.unescape(text[cursor:]))
    flush(next_in_list=False)
    return segments


def _may_hold_items(segment: str) -> bool:
    """Cheap test before the marker scan: most paragraphs hold no list at all."""
    return (
        segment[0] in _LEADING_CHARS
        or " -" in segment
        or "- " in segment
        or _GLYPH.search(segment) is not None
    )


def _previous_char(segment: str, end: int) -> str:
    """The last non-space character before `end` ("#" at the start, never punctuation)."""
    before = segment[:end].rstrip()
    return before[-1] if before else "#"


def _split_items(segment: str, in_list: bool) -> list[Item]:
    """Items of one paragraph whose list was flattened into a single line.

    A hyphen separates items only when the paragraph is a list: it opened with
    <ul>/<li> or a bullet, or a hyphen follows ":" or ";" ("indicateurs : - a - b").
    Elsewhere "Etat - CD67 - CAF" is kept as written. Parentheses protect their
    content ("(SMS - exemple : ...)").
    """
    segment = " ".join(segment.split())
    if not segment:
        return []
    if not in_list and not _may_hold_items(segment):
        return [Item(segment)]
    bullet = False
    lead = _LEADING_BULLET.match(segment) or (in_list and _LEADING_O.match(segment))
    if lead and lead.end() < len(segment):
        segment, bullet, in_list = segment[lead.end() :], True, True
    items: list[Item] = []
    start = 0
    depth = 0
    scanned = 0
    for match in _MARKERS.finditer(segment):
        pos = match.start()
        depth = max(0, depth + segment.count("(", scanned, pos) - segment.count(")", scanned, pos))
        scanned = pos
        if depth or pos < start:
            continue
        kind = match.lastgroup
        previous = _previous_char(segment, pos)
        if kind == "glyph":
            split = match.group() != "→" or in_list or previous in ".:;"
        elif kind in ("dash", "dashcap"):
            split = in_list or previous in ":;"
        elif kind == "glued":
            split = in_list
        else:  # "o" sub-bullet, as PDF converters render "○"
            split = in_list and previous in ".:;"
        if not split:
            continue
        piece = segment[start:pos].strip()
        if piece:
            items.append(Item(piece, bullet))
        start, bullet, in_list = match.end(), True, True
    piece = segment[start:].strip()
    if piece:
        items.append(Item(piece, bullet))
    return items


@lru_cache(maxsize=4096)
def clean_items(raw: str) -> tuple[Item, ...]:
    """The lines of a cleaned field, each telling whether it was a list item.

    Cached: the structure parser looks at the same cells several times.
    """
    items: list[Item] = []
    for segment, in_list in _segments(raw):
        items.extend(_split_items(segment, in_list))
    return tuple(items)


def clean_field(raw: str) -> str:
    """Plain text of a cell or paragraph: no HTML, one list item per line, single spaces.

    Bullet glyphs are dropped (the line break carries the list structure); every
    other character is kept as written.
    """
    if not raw:
        return ""
    return "\n".join(item.text for item in clean_items(raw))


def join_inline(lines: list[str]) -> str:
    """Lines on one line, list-like: "a", "b" -> "a ; b" (no doubled punctuation)."""
    parts: list[str] = []
    for line in lines:
        if parts and not parts[-1].endswith((";", ",", ".", ":")):
            parts[-1] += " ;"
        parts.append(line)
    return " ".join(parts)


def clean_inline(raw: str) -> str:
    """`clean_field` on one line, for titles: items joined with " ; " as a sommaire writes them."""
    return join_inline([item.text for item in clean_items(raw)])


def _strip_accents(s: str) -> str:
    if s.isascii():
        return s
    if _FOLD_CHARS.search(s):
        s = s.translate(_FOLD_TABLE)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", s))


def fold(s: str) -> str:
    """Lower case, no accents, single spaces: for keyword tests on running text."""
    return _SPACES.sub(" ", _strip_accents(s).casefold()).strip()


@lru_cache(maxsize=8192)
def normalise_label(s: str) -> str:
    """Comparison key: no case, accents, punctuation nor spaces.

    "Fiche action n° 25" and "Ficheactionn°25" give the same key, and so do
    "THEMATIQUE" and "Thématique".
    """
    return _NON_ALNUM.sub("", _strip_accents(s).casefold())


def ligature_key(s: str) -> str:
    """`normalise_label` without fi/ff/fl, so "Dé nition" (ligature lost) equals "Définition"."""
    return _LOST_LIGATURES.sub("", normalise_label(s))


def same_text(a: str, b: str) -> bool:
    """Equal but for case, accents, punctuation, spacing or a lost ligature."""
    ka, kb = normalise_label(a), normalise_label(b)
    return ka == kb or _LOST_LIGATURES.sub("", ka) == _LOST_LIGATURES.sub("", kb)


def cut_after_key_prefix(text: str, key_length: int) -> str | None:
    """The rest of `text` after the characters that produce its first `key_length` key chars.

    Returns None when that point falls inside a word ("Contextes" is not the label
    "Contexte" followed by a value).
    """
    produced = 0
    for index, char in enumerate(text):
        if produced >= key_length:
            if char.isalnum():
                return None
            return text[index:].lstrip(" \t:;,.-–—°º\n")
        produced += len(normalise_label(char))
    return "" if produced >= key_length else None
