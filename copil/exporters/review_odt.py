"""The annual review as an OpenDocument text (ODT), with odfpy.

Real headings (outline levels, LibreOffice's navigator), the table of contents written
out, bordered tables with a caption and a repeated header row, and each chart as a PNG
image in a frame whose title and description are its alternative text.
"""

from __future__ import annotations

import io

from copil.core.review import ReviewContent, Table
from copil.exporters.review_chart import HEIGHT, WIDTH, chart_png
from copil.exporters.review_layout import review_blocks

CHART_WIDTH_CM = 15.0


def review_odt(content: ReviewContent) -> bytes:
    from odf.dc import Language, Title
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        DefaultStyle,
        GraphicProperties,
        ParagraphProperties,
        Style,
        TableCellProperties,
        TextProperties,
    )
    from odf.svg import Desc
    from odf.svg import Title as SvgTitle
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    document.meta.addElement(Title(text=f"{content.cover.title} — {content.cover.convention}"))
    document.meta.addElement(Language(text="fr-FR"))
    default = DefaultStyle(family="paragraph")
    default.addElement(ParagraphProperties(marginbottom="0.15cm"))
    default.addElement(TextProperties(fontsize="10pt", language="fr", country="FR"))
    document.styles.addElement(default)
    headings = {}
    for level, size in enumerate(("22pt", "16pt", "13pt", "11pt"), start=0):
        name = "Title" if level == 0 else f"Heading {level}"
        style = Style(name=name, family="paragraph", defaultoutlinelevel=max(level, 1))
        style.addElement(TextProperties(fontsize=size, fontweight="bold", color="#000091"))
        style.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.15cm"))
        document.styles.addElement(style)
        headings[level] = style
    strong = Style(name="Strong", family="paragraph")
    strong.addElement(TextProperties(fontweight="bold"))
    caption = Style(name="TableCaption", family="paragraph")
    caption.addElement(TextProperties(fontweight="bold"))
    caption.addElement(ParagraphProperties(margintop="0.2cm", keepwithnext="always"))
    breaker = Style(name="PageBreak", family="paragraph")
    breaker.addElement(ParagraphProperties(breakafter="page"))
    toc2 = Style(name="Toc2", family="paragraph")
    toc2.addElement(ParagraphProperties(marginleft="0.8cm", marginbottom="0.05cm"))
    toc1 = Style(name="Toc1", family="paragraph")
    toc1.addElement(ParagraphProperties(marginbottom="0.05cm"))
    cell = Style(name="ReviewCell", family="table-cell")
    cell.addElement(TableCellProperties(border="0.5pt solid #929292", padding="0.08cm"))
    frame_style = Style(name="Chart", family="graphic")
    frame_style.addElement(GraphicProperties(anchortype="as-char", wrap="none"))
    for style in (strong, caption, breaker, toc1, toc2):
        document.styles.addElement(style)
    for style in (cell, frame_style):
        document.automaticstyles.addElement(style)

    def text(element, value: str):
        from odf import teletype

        teletype.addTextToElement(element, value)
        return element

    body = document.text
    tables = charts = 0
    for block in review_blocks(content):
        if block.kind == "title":
            body.addElement(text(P(stylename=headings[0]), block.text))
        elif block.kind == "heading":
            level = min(max(block.level, 1), 3)
            body.addElement(text(H(outlinelevel=level, stylename=headings[level]), block.text))
        elif block.kind == "paragraph":
            body.addElement(text(P(stylename=strong) if block.level == 1 else P(), block.text))
        elif block.kind == "item":
            listing = List()
            item = ListItem()
            item.addElement(text(P(), f"• {block.text}"))
            listing.addElement(item)
            body.addElement(listing)
        elif block.kind == "page_break":
            body.addElement(P(stylename=breaker))
        elif block.kind == "toc":
            for entry in block.toc:
                body.addElement(text(P(stylename=toc1 if entry.level == 1 else toc2), entry.title))
        elif block.kind == "table" and block.table is not None:
            tables += 1
            body.addElement(text(P(stylename=caption), block.table.caption))
            body.addElement(_table(block.table, f"Tableau{tables}", cell))
        elif block.kind == "chart" and block.chart is not None:
            charts += 1
            href = document.addPicture(
                f"Pictures/chart{charts}.png", "image/png", chart_png(block.chart)
            )
            height = CHART_WIDTH_CM * HEIGHT / WIDTH
            frame = Frame(
                stylename=frame_style,
                width=f"{CHART_WIDTH_CM}cm",
                height=f"{height:.2f}cm",
                anchortype="as-char",
                name=f"Graphique{charts}",
            )
            frame.addElement(Image(href=href))
            frame.addElement(SvgTitle(text=block.chart.title))
            frame.addElement(Desc(text=block.chart.description))
            holder = P()
            holder.addElement(frame)
            body.addElement(holder)
            body.addElement(text(P(), block.chart.title))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _table(table: Table, name: str, cell_style):
    from odf import teletype
    from odf.table import (
        Table as OdfTable,
    )
    from odf.table import (
        TableCell,
        TableColumn,
        TableHeaderRows,
        TableRow,
    )
    from odf.text import P

    grid = OdfTable(name=name)
    grid.addElement(TableColumn(numbercolumnsrepeated=len(table.headers)))

    def row(cells: tuple[str, ...]):
        element = TableRow()
        for value in cells:
            c = TableCell(stylename=cell_style, valuetype="string")
            paragraph = P()
            teletype.addTextToElement(paragraph, value)
            c.addElement(paragraph)
            element.addElement(c)
        return element

    header = TableHeaderRows()
    header.addElement(row(table.headers))
    grid.addElement(header)
    for r in table.rows:
        grid.addElement(row(r.cells))
    if table.footer is not None:
        grid.addElement(row(table.footer.cells))
    return grid
