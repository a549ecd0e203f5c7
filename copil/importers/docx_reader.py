"""Read a Word (DOCX) file into SourceLines.

The body is walked through its XML in document order, because python-docx's
`paragraphs` and `tables` lists lose the interleaving that tells which fiche a
table belongs to. Merged cells are read once: a horizontal span (gridSpan) is a
single <w:tc>, and the lower parts of a vertical merge come back as empty cells,
which the structure parser treats like the continuation rows of the text dialect.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from lxml import etree

from copil.importers.model import UnreadableDocumentError
from copil.importers.source import SourceLine

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC, _SDT = (f"{{{_W}}}{t}" for t in ("p", "tbl", "tr", "tc", "sdt"))
# Containers whose children belong to the flow of the document (content controls,
# tracked insertions, custom XML) are walked through rather than skipped.
_TRANSPARENT = {f"{{{_W}}}{t}" for t in ("sdtContent", "ins", "customXml", "smartTag")}
_SKIPPED_IN_TEXT = {
    f"{{{_W}}}{t}" for t in ("pPr", "rPr", "del", "delText", "instrText", "footnoteReference")
}


def read_docx(data: bytes) -> list[SourceLine]:
    """Lines of a DOCX document: paragraphs (headings included) and table rows, in order."""
    try:
        from docx import Document

        document = Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # python-docx raises zip, XML and package errors alike
        raise UnreadableDocumentError(
            "Le fichier Word (DOCX) est endommagé ou illisible : impossible d'en lire le contenu."
        ) from exc
    return list(_walk(body, counters={"p": 0, "t": 0}))


def _walk(container: etree._Element, counters: dict[str, int]) -> Iterator[SourceLine]:
    for child in container:
        if child.tag == _P:
            counters["p"] += 1
            location = f"paragraphe {counters['p']}"
            bullet = "- " if _is_list_item(child) else ""
            for n, text in enumerate(_paragraph_text(child).split("\n")):
                text = text.strip()
                yield SourceLine(text=bullet + text if n == 0 and text else text, location=location)
        elif child.tag == _TBL:
            counters["t"] += 1
            yield from _table_rows(child, counters["t"])
        elif child.tag == _SDT or child.tag in _TRANSPARENT:
            yield from _walk(child, counters)


def _table_rows(table: etree._Element, number: int) -> Iterator[SourceLine]:
    for row_number, row in enumerate(_rows(table), start=1):
        cells = tuple(_cell_text(tc) for tc in _cells(row))
        yield SourceLine(
            text="\t".join(cells),
            cells=cells,
            location=f"tableau {number}, ligne {row_number}",
        )


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        if child.tag == _TR:
            yield child
        elif child.tag == _SDT or child.tag in _TRANSPARENT:
            yield from _rows(child)


def _cells(row: etree._Element) -> Iterator[etree._Element]:
    for child in row:
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT or child.tag in _TRANSPARENT:
            yield from _cells(child)


def _cell_text(tc: etree._Element) -> str:
    """Paragraphs of a cell joined by newlines; a vertical-merge continuation is empty."""
    v_merge = tc.find(f"{{{_W}}}tcPr/{{{_W}}}vMerge")
    if v_merge is not None and v_merge.get(f"{{{_W}}}val", "continue") == "continue":
        return ""
    lines = [line.text for line in _walk(tc, counters={"p": 0, "t": 0})]
    return "\n".join(lines).strip("\n")


def _is_list_item(p: etree._Element) -> bool:
    """A bulleted or numbered paragraph, but not a numbered heading ("Article 1").

    Word keeps the bullet out of the text; the "- " put back tells the structure
    parser it is a list item (cooperation principles are read that way).
    """
    style = p.find(f"{{{_W}}}pPr/{{{_W}}}pStyle")
    name = (style.get(f"{{{_W}}}val", "") if style is not None else "").lower()
    if name.startswith(("heading", "titre", "title", "berschrift")):
        return False
    # Numbering set on the paragraph, or by a list style ("List Bullet", "List Paragraph").
    return p.find(f"{{{_W}}}pPr/{{{_W}}}numPr") is not None or name.startswith("list")


def _paragraph_text(p: etree._Element) -> str:
    """Visible text of a paragraph: runs, hyperlinks, tabs and line breaks."""
    parts: list[str] = []
    for el in p.iter():
        if any(anc.tag in _SKIPPED_IN_TEXT for anc in el.iterancestors()):
            continue
        tag = el.tag
        if tag == f"{{{_W}}}t":
            parts.append(el.text or "")
        elif tag == f"{{{_W}}}tab":
            parts.append(" ")
        elif tag == f"{{{_W}}}cr" or (
            tag == f"{{{_W}}}br" and el.get(f"{{{_W}}}type", "textWrapping") == "textWrapping"
        ):
            parts.append("\n")
        elif tag == f"{{{_W}}}noBreakHyphen":
            parts.append("-")
    return "".join(parts)
