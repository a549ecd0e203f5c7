"""Write a convention as a Word (DOCX) document with python-docx.

Real Word headings (so the navigation pane and a table of contents work) and one
bordered two-column table per fiche action, as in the source conventions; the
borders also let the PDF reader find the tables once Word or LibreOffice has
printed the document.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from copil.exporters.layout import Block, convention_blocks
from copil.importers.model import ImportedDocument

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.shared import Length
    from docx.table import _Cell


def export_docx(doc: ImportedDocument) -> bytes:
    """The DOCX bytes of `doc`, laid out by `copil.exporters.layout`."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    document.core_properties.title = doc.title
    # Space between paragraphs is what tells a PDF reader that a line is a new item of a
    # list and not the wrapped end of the line above.
    document.styles["Normal"].paragraph_format.space_after = Pt(6)
    section = document.sections[0]  # A4, as French administrations print
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    widths = (Cm(4.5), Cm(12.5))
    for block in convention_blocks(doc):
        _render(document, block, widths)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _render(document: WordDocument, block: Block, widths: tuple[Length, Length]) -> None:
    if block.kind == "heading":
        document.add_heading(block.text, level=min(block.level, 9))
    elif block.kind == "paragraph":
        document.add_paragraph(block.text)
    elif block.kind == "table":
        table = document.add_table(rows=len(block.rows), cols=2)
        table.style = "Table Grid"
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # the grid, which LibreOffice follows
        for row, (label, value) in zip(table.rows, block.rows, strict=True):
            for cell, text, width in zip(row.cells, (label, value), widths, strict=True):
                cell.width = width
                _fill(cell, text)
        document.add_paragraph()


def _fill(cell: _Cell, text: str) -> None:
    """One paragraph per line, so readers get the lines back as "\\n"."""
    lines = text.split("\n") if text else [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)
