"""Write a convention as an OpenDocument text (ODT) with odfpy.

Real headings (text:h with an outline level, styled "Heading n" so LibreOffice
shows them in its navigator) and one bordered two-column table per fiche action.
"""

from __future__ import annotations

import io

from copil.exporters.layout import convention_blocks
from copil.importers.model import ImportedDocument


def export_odt(doc: ImportedDocument) -> bytes:
    """The ODT bytes of `doc`, laid out by `copil.exporters.layout`."""
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        DefaultStyle,
        ParagraphProperties,
        Style,
        TableCellProperties,
        TableColumnProperties,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.meta.addElement(_title_element(doc.title))
    # Space after paragraphs, as in the DOCX export: once printed to PDF, it is what
    # tells a new list item from the wrapped end of the line above.
    default = DefaultStyle(family="paragraph")
    default.addElement(ParagraphProperties(marginbottom="0.21cm"))
    document.styles.addElement(default)
    headings = {}
    for level, size in enumerate(("20pt", "16pt", "14pt", "13pt", "12pt"), start=1):
        style = Style(name=f"Heading {level}", family="paragraph", defaultoutlinelevel=level)
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        document.styles.addElement(style)
        headings[level] = style
    cell_style = Style(name="FicheCell", family="table-cell")
    cell_style.addElement(TableCellProperties(border="0.5pt solid #000000", padding="0.1cm"))
    label_column = Style(name="FicheLabel", family="table-column")
    label_column.addElement(TableColumnProperties(columnwidth="5cm"))
    value_column = Style(name="FicheValue", family="table-column")
    value_column.addElement(TableColumnProperties(columnwidth="12cm"))
    for style in (cell_style, label_column, value_column):
        document.automaticstyles.addElement(style)

    tables = 0
    for block in convention_blocks(doc):
        if block.kind == "heading":
            level = min(max(block.level, 1), 5)
            document.text.addElement(
                _with_text(H(outlinelevel=level, stylename=headings[level]), block.text)
            )
        elif block.kind == "paragraph":
            document.text.addElement(_with_text(P(), block.text))
        elif block.kind == "table":
            tables += 1
            table = Table(name=f"Fiche{tables}")
            table.addElement(TableColumn(stylename=label_column))
            table.addElement(TableColumn(stylename=value_column))
            for label, value in block.rows:
                row = TableRow()
                for text in (label, value):
                    cell = TableCell(stylename=cell_style, valuetype="string")
                    for line in _lines(text):
                        cell.addElement(_with_text(P(), line))
                    row.addElement(cell)
                table.addElement(row)
            document.text.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _lines(text: str) -> list[str]:
    """One paragraph per line, so readers get the lines back as "\\n"."""
    return text.split("\n") if text else [""]


def _with_text(element: object, text: str) -> object:
    """Add text with its runs of spaces and tabs kept (text:s, text:tab)."""
    from odf import teletype

    teletype.addTextToElement(element, text)
    return element


def _title_element(title: str) -> object:
    from odf.dc import Title

    return Title(text=title)
