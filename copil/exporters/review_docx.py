"""The annual review as a Word (DOCX) document, with python-docx.

Real headings (Word's navigation pane, and its table of contents once updated), the table
of contents written out (Word cannot number pages without laying the document out),
bordered tables with a caption and a header row, and each chart as a PNG image with its
description as alternative text.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from copil.core.review import ReviewContent, Table
from copil.exporters.review_chart import chart_png
from copil.exporters.review_layout import review_blocks

if TYPE_CHECKING:
    from docx.document import Document as WordDocument


def review_docx(content: ReviewContent) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    document = Document()
    document.core_properties.title = f"{content.cover.title} — {content.cover.convention}"
    document.core_properties.language = "fr-FR"
    document.styles["Normal"].paragraph_format.space_after = Pt(4)
    document.styles["Normal"].font.size = Pt(10)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    footer = section.footer.paragraphs[0]
    footer.text = f"{content.cover.title} — {content.cover.convention}"
    for block in review_blocks(content):
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=block.level)
        elif block.kind == "paragraph":
            paragraph = document.add_paragraph()
            run = paragraph.add_run(block.text)
            run.bold = block.level == 1
        elif block.kind == "item":
            document.add_paragraph(block.text, style="List Bullet")
        elif block.kind == "page_break":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif block.kind == "toc":
            for entry in block.toc:
                paragraph = document.add_paragraph(entry.title)
                paragraph.paragraph_format.left_indent = Cm(0.8 * (entry.level - 1))
                paragraph.paragraph_format.space_after = Pt(1)
        elif block.kind == "table" and block.table is not None:
            _table(document, block.table)
        elif block.kind == "chart" and block.chart is not None:
            paragraph = document.add_paragraph()
            shape = paragraph.add_run().add_picture(
                io.BytesIO(chart_png(block.chart)), width=Cm(15)
            )
            shape._inline.docPr.set("descr", block.chart.description)  # alternative text
            shape._inline.docPr.set("title", block.chart.title)
            caption = document.add_paragraph(block.chart.title)
            caption.runs[0].italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: WordDocument, table: Table) -> None:
    caption = document.add_paragraph()
    caption.add_run(table.caption).bold = True
    rows = [table.headers, *(row.cells for row in table.rows)]
    if table.footer is not None:
        rows.append(table.footer.cells)
    grid = document.add_table(rows=len(rows), cols=len(table.headers))
    grid.style = "Table Grid"
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            cell = grid.cell(r, c)
            cell.text = text
            if r == 0 or (table.footer is not None and r == len(rows) - 1):
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    _repeat_header(grid)


def _repeat_header(grid) -> None:
    """The header row repeats on each page and is marked as a header for screen readers."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = grid.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
