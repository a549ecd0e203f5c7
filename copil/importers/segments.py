"""Cutting a cell's text into items: lines, bullets, sentences, top-level separators.

Shared by the field parsers. Separators inside brackets or «quotes» never cut, so
"Autres financeurs (Justice, Msa)" stays one item.
"""

from __future__ import annotations

import re

EMPTY = re.compile(r"(?i)^(?:[-–—/.…]*|n[ée]ant|aucun|sans objet|non concern[ée]|nc)$")
BULLET = re.compile(r"(?:^|(?<=\s))(?:[-•*·▪→]|o(?=\s))\s*(?=[^\s\d-])")
_SENTENCE_END = re.compile(r"(?<=[\w)»%])\.\s+(?=[A-ZÀ-ÖØ-Ý])")
_SEMICOLON = re.compile(";")
_ABBREVIATIONS = {"cf", "ex", "nb", "art", "n°", "p", "m", "mme", "etc", "st"}


def bracket_depths(text: str) -> list[int]:
    """Bracket depth at each position, so separators inside "(...)" or «...» are ignored."""
    depth, out = 0, []
    for char in text:
        if char in "(«[":
            depth += 1
        out.append(depth)
        if char in ")»]":
            depth = max(0, depth - 1)
    return out


def split_top(text: str, pattern: re.Pattern[str]) -> list[str]:
    depths, parts, last = bracket_depths(text), [], 0
    for m in pattern.finditer(text):
        if m.start() < len(depths) and depths[m.start()] == 0 and m.start() >= last:
            parts.append(text[last : m.start()])
            last = m.end()
    parts.append(text[last:])
    return parts


def sentences(text: str) -> list[str]:
    """Split on ". " + capital, but not after "cf.", "ex."... nor inside a number."""
    parts, last = [], 0
    for m in _SENTENCE_END.finditer(text):
        word = re.search(r"(\S+)$", text[: m.start()])
        if word and (word.group(1).lower() in _ABBREVIATIONS or word.group(1).isdigit()):
            continue
        parts.append(text[last : m.start()])
        last = m.end()
    parts.append(text[last:])
    return parts


def cell_items(text: str) -> list[str]:
    """Lines, then bullets ("- a - b"), then ";"."""
    out = []
    for line in text.split("\n"):
        for bullet in split_top(line, BULLET):
            out.extend(p.strip() for p in split_top(bullet, _SEMICOLON) if p.strip())
    return out


_CAPITALISED = re.compile(r"\s+(?=[A-ZÀ-ÖØ-Ý][a-zà-ÿ]{2,})")
_LINK_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "du",
        "de",
        "des",
        "au",
        "aux",
        "en",
        "à",
        "et",
        "ou",
        "pour",
        "par",
        "sur",
        "avec",
        "dans",
        "entre",
        "vers",
        "sans",
        "sous",
        "chez",
    ]
)


def run_on_names(text: str) -> list[str]:
    """Cut "Cahier des charges Comité de suivi" (PDF lost the line break) into two.

    A cut needs a lower-case word or a number before the capital, and not an article or
    a preposition ("du Département", "la Commission" stay whole).
    """
    parts, last, depths = [], 0, bracket_depths(text)
    for m in _CAPITALISED.finditer(text):
        previous = text[last : m.start()].split()
        word = previous[-1] if previous else ""
        word = re.sub(r"^.*['’]", "", word)
        cut = word and (word[0].islower() or word[0].isdigit()) and depths[m.start()] == 0
        if cut and word.lower() not in _LINK_WORDS:
            parts.append(text[last : m.start()])
            last = m.end()
    parts.append(text[last:])
    return parts
