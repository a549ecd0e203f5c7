"""Read a Markdown file into SourceLines (plain Python, no Markdown library).

Only what the exporter writes, and what people write by hand in the same spirit,
is understood: ATX headings ("# Titre"), pipe tables ("| label | value |", with the
"|---|" separator line skipped, "\\|" for a literal pipe and "<br>" for a new line
inside a cell) and paragraphs. Headings lose their "#" marks: for the structure
parser a heading is just a line, as in the text dialect.
"""

from __future__ import annotations

import re

from copil.importers.model import UnreadableDocumentError
from copil.importers.source import SourceLine

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")


def read_markdown(data: bytes | str) -> list[SourceLine]:
    """Lines of a Markdown document: headings and paragraphs as lines, table rows as cells."""
    if isinstance(data, bytes):
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableDocumentError(
                "Le fichier Markdown n'est pas encodé en UTF-8 : impossible d'en lire le texte."
            ) from exc
    else:
        content = data
    lines: list[SourceLine] = []
    for number, raw in enumerate(content.splitlines(), start=1):
        location = f"ligne {number}"
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            if _SEPARATOR.match(stripped):
                continue
            cells = tuple(_cell(c) for c in _split_row(stripped[1:-1]))
            lines.append(SourceLine(text="\t".join(cells), cells=cells, location=location))
            continue
        heading = _HEADING.match(raw)
        text = heading.group(1) if heading else stripped
        lines.append(SourceLine(text=_unescape(text), location=location))
    return lines


def _split_row(inner: str) -> list[str]:
    """Split on unescaped pipes ("\\|" stays inside the cell)."""
    cells, current, i = [], [], 0
    while i < len(inner):
        char = inner[i]
        if char == "\\" and i + 1 < len(inner):
            current.append(inner[i : i + 2])
            i += 2
            continue
        if char == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    return cells


def _cell(raw: str) -> str:
    parts = _BR.split(raw.strip())
    return "\n".join(_unescape(part.strip()) for part in parts)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)
