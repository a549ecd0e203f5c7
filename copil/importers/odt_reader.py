"""Read an OpenDocument text (ODT) file into SourceLines.

The office:text body is walked in document order: headings (text:h), paragraphs
(text:p), list items (text:list) and tables (table:table) come out as they are
laid out, sections are walked through. Covered cells (the hidden part of a merged
cell) are skipped, so a merged cell is read once.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from copil.importers.model import UnreadableDocumentError
from copil.importers.source import SourceLine

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"

# Elements whose content is not part of the reading flow (footnotes, comments,
# tracked deletions, the templates of a table of contents; its entries are kept).
_SKIPPED = {
    (_TEXT, "note"),
    (_TEXT, "tracked-changes"),
    (_TEXT, "table-of-content-source"),
    (_TEXT, "sequence-decls"),
    (_TEXT, "variable-decls"),
    ("urn:oasis:names:tc:opendocument:xmlns:office:1.0", "annotation"),
    (_TABLE, "covered-table-cell"),
}
_ROW_GROUPS = {
    (_TABLE, "table-header-rows"),
    (_TABLE, "table-rows"),
    (_TABLE, "table-row-group"),
}


def read_odt(data: bytes) -> list[SourceLine]:
    """Lines of an ODT document: headings, paragraphs, list items and table rows, in order."""
    try:
        from odf.opendocument import load

        document = load(io.BytesIO(data))
        body = document.text
    except Exception as exc:  # odfpy raises zip, XML and KeyError alike
        raise UnreadableDocumentError(
            "Le fichier OpenDocument (ODT) est endommagé ou illisible : "
            "impossible d'en lire le contenu."
        ) from exc
    if body is None:
        raise UnreadableDocumentError("Le fichier OpenDocument (ODT) ne contient pas de texte.")
    return list(_walk(body, counters={"p": 0, "t": 0}))


def _walk(node: Any, counters: dict[str, int], in_list: bool = False) -> Iterator[SourceLine]:
    """Lines in order; paragraphs of a list item get back a "- " bullet (ODF keeps
    the bullet out of the text) so the structure parser sees a list item."""
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname is None or qname in _SKIPPED:
            continue
        if qname in ((_TEXT, "p"), (_TEXT, "h")):
            counters["p"] += 1
            location = f"paragraphe {counters['p']}"
            bullet = "- " if in_list and qname == (_TEXT, "p") else ""
            for n, text in enumerate(_inline_text(child).split("\n")):
                text = text.strip()
                yield SourceLine(text=bullet + text if n == 0 and text else text, location=location)
        elif qname == (_TEXT, "list-item"):
            yield from _walk(child, counters, in_list=True)
        elif qname == (_TABLE, "table"):
            counters["t"] += 1
            yield from _table_rows(child, counters["t"])
        else:  # text:list, text:section, soft page breaks...
            yield from _walk(child, counters, in_list)


def _table_rows(table: Any, number: int) -> Iterator[SourceLine]:
    for row_number, row in enumerate(_rows(table), start=1):
        cells = tuple(
            _cell_text(cell)
            for cell in row.childNodes
            if getattr(cell, "qname", None) == (_TABLE, "table-cell")
        )
        yield SourceLine(
            text="\t".join(cells),
            cells=cells,
            location=f"tableau {number}, ligne {row_number}",
        )


def _rows(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        qname = getattr(child, "qname", None)
        if qname == (_TABLE, "table-row"):
            yield child
        elif qname in _ROW_GROUPS:
            yield from _rows(child)


def _cell_text(cell: Any) -> str:
    lines = [line.text for line in _walk(cell, counters={"p": 0, "t": 0})]
    return "\n".join(lines).strip("\n")


def _inline_text(node: Any) -> str:
    """Text of a paragraph with its spaces (text:s), tabs and line breaks."""
    parts: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
            continue
        qname = getattr(child, "qname", None)
        if qname in _SKIPPED:
            continue
        if qname == (_TEXT, "s"):
            parts.append(" " * int(child.getAttrNS(_TEXT, "c") or 1))
        elif qname == (_TEXT, "tab"):
            parts.append(" ")
        elif qname == (_TEXT, "line-break"):
            parts.append("\n")
        else:  # text:span, text:a, text:bookmark...
            parts.append(_inline_text(child))
    return "".join(parts)
