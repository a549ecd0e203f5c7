"""Readers and format detection: documents built here with the libraries themselves."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from copil.exporters.docx import export_docx
from copil.importers.docx_reader import read_docx
from copil.importers.formats import detect_format, read_lines
from copil.importers.markdown_reader import read_markdown
from copil.importers.model import UnreadableDocumentError, UnsupportedFormatError
from copil.importers.odt_reader import read_odt
from copil.importers.pdf_reader import read_pdf
from copil.importers.source import SourceLine
from tests.exporters import sample_document

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")


def _content(lines: list[SourceLine]) -> list[object]:
    return [line.cells if line.is_row else line.text for line in lines if line.text.strip()]


def _docx_bytes(document) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _to_pdf(docx: bytes, tmp_path: Path) -> bytes:
    source = tmp_path / "doc.docx"
    source.write_bytes(docx)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (tmp_path / "doc.pdf").read_bytes()


# -- DOCX ---------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_come_in_document_order():
    from docx import Document

    word = Document()
    word.add_heading("FICHE ACTION 5.3", level=2)
    table = word.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "THEMATIQUE", "PETITE ENFANCE"
    table.cell(1, 0).text = "Pilote de l'action"
    table.cell(1, 1).text = "Pour la Caf : DAT"
    table.cell(1, 1).add_paragraph("Pour le CD : la PMI")
    merged = table.cell(2, 0).merge(table.cell(2, 1))
    merged.text = "Ligne fusionnée"
    word.add_paragraph("Après le tableau")
    word.add_paragraph("un principe de coopération", style="List Bullet")

    lines = read_docx(_docx_bytes(word))

    assert _content(lines) == [
        "FICHE ACTION 5.3",
        ("THEMATIQUE", "PETITE ENFANCE"),
        ("Pilote de l'action", "Pour la Caf : DAT\nPour le CD : la PMI"),
        ("Ligne fusionnée",),  # a horizontal merge is one cell, not two copies
        "Après le tableau",
        "- un principe de coopération",  # Word keeps bullets out of the text
    ]
    assert lines[0].location == "paragraphe 1"
    assert lines[1].location == "tableau 1, ligne 1"


def test_docx_vertical_merge_reads_as_a_continuation_row():
    from docx import Document

    word = Document()
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Budget prévisionnel"
    table.cell(0, 1).text, table.cell(1, 1).text = "CD : 45 000 €", "CAF : moyens humains"

    assert _content(read_docx(_docx_bytes(word))) == [
        ("Budget prévisionnel", "CD : 45 000 €"),
        ("", "CAF : moyens humains"),
    ]


@pytest.mark.parametrize("data", [b"PK\x03\x04 tronque", b"", b"pas un zip"])
def test_damaged_docx_is_unreadable_with_a_french_message(data):
    with pytest.raises(UnreadableDocumentError, match="endommagé"):
        read_docx(data)


# -- ODT ----------------------------------------------------------------------------------


def _odt_bytes(document) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def test_odt_headings_lists_and_tables_in_order_without_covered_cells():
    from odf import teletype
    from odf.opendocument import OpenDocumentText
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    odt = OpenDocumentText()
    odt.text.addElement(H(outlinelevel=2, text="FICHE ACTION 2.1"))
    items = List()
    for text in ("premier point", "second point"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    odt.text.addElement(items)
    table = Table(name="Fiche")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    row = TableRow()
    for text in ("Livrables", "Référentiel"):
        cell = TableCell()
        paragraph = P()
        teletype.addTextToElement(paragraph, text)
        cell.addElement(paragraph)
        row.addElement(cell)
    table.addElement(row)
    spanned = TableRow()
    cell = TableCell(numbercolumnsspanned=2)
    cell.addElement(P(text="a  b"))
    spanned.addElement(cell)
    spanned.addElement(CoveredTableCell())
    table.addElement(spanned)
    odt.text.addElement(table)
    odt.text.addElement(P(text="Fin"))

    lines = read_odt(_odt_bytes(odt))

    assert _content(lines) == [
        "FICHE ACTION 2.1",
        "- premier point",  # list items get their bullet back
        "- second point",
        ("Livrables", "Référentiel"),
        ("a  b",),
        "Fin",
    ]
    assert lines[3].location == "tableau 1, ligne 1"


@pytest.mark.parametrize("data", [b"PK\x03\x04 tronque", b"", b"<xml/>"])
def test_damaged_odt_is_unreadable_with_a_french_message(data):
    with pytest.raises(UnreadableDocumentError, match="endommagé"):
        read_odt(data)


# -- Markdown -----------------------------------------------------------------------------


def test_markdown_headings_tables_and_escapes():
    text = (
        "# THEMATIQUE 5 : Petite enfance\n\n"
        "Une introduction.\n\n"
        "| THEMATIQUE | PETITE ENFANCE |\n"
        "|---|:---:|\n"
        "| Pilote de l'action | Pour la Caf : DAT<br>Pour le CD : la PMI |\n"
        "| Descriptif | a \\| b |\n"
    )
    assert _content(read_markdown(text.encode("utf-8"))) == [
        "THEMATIQUE 5 : Petite enfance",
        "Une introduction.",
        ("THEMATIQUE", "PETITE ENFANCE"),
        ("Pilote de l'action", "Pour la Caf : DAT\nPour le CD : la PMI"),
        ("Descriptif", "a | b"),
    ]


# -- PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"%PDF-1.4 garbage", b"%PDF-1.4\n%%EOF\n"])
def test_damaged_pdf_is_unreadable_with_a_french_message(data):
    with pytest.raises(UnreadableDocumentError, match="PDF"):
        read_pdf(data)


@needs_soffice
def test_pdf_interleaves_text_and_table_rows(tmp_path):
    lines = read_pdf(_to_pdf(export_docx(sample_document()), tmp_path))
    content = _content(lines)
    fiche = content.index("FICHE ACTION 5.3")
    assert content[fiche + 1] == ("THEMATIQUE", "Petite enfance")
    rows = {c[0]: c[1] for c in content if isinstance(c, tuple) and len(c) == 2}
    assert rows["Pilote de l'action"] == (
        "Pour Caf du Bas-Rhin : Direction de l'action territoriale\n"
        "Pour Département du Bas-Rhin : la PMI"
    )
    assert rows["Indicateurs d'évaluation"] == (
        "Indicateur de réalisation : nombre d'assistants maternels en activité\n"
        "Indicateur de résultat : taux de couverture"
    )
    assert all(line.location.startswith("page ") for line in lines)


@needs_soffice
def test_pdf_drops_page_numbers_and_footers_and_glues_rows_cut_by_a_page(tmp_path):
    from docx import Document
    from docx.oxml import parse_xml

    word = Document()
    footer = word.sections[0].footer.paragraphs[0]
    footer.text = "Convention CD67 – CAF67 "
    footer._p.append(
        parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            ' w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )
    word.add_paragraph("FICHE ACTION 1.1")
    table = word.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "ACTION", "Une action"
    table.cell(1, 0).text = "Descriptif de l'action"
    value = table.cell(1, 1)
    value.text = "Point 1"
    for n in range(2, 90):
        value.add_paragraph(f"Point {n}")

    pdf = _to_pdf(_docx_bytes(word), tmp_path)
    lines = read_pdf(pdf)

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) >= 2  # the row is cut by a page break
    texts = [line.text for line in lines]
    assert not any("Convention CD67" in t for t in texts)
    assert not any(t.strip().isdigit() for t in texts)
    rows = [line.cells for line in lines if line.is_row]
    # The part printed on the next page is glued back: one row, every point on its line.
    assert rows == [
        ("ACTION", "Une action"),
        ("Descriptif de l'action", "\n".join(f"Point {n}" for n in range(1, 90))),
    ]
    assert lines[-1].location == "page 1"


def test_pdf_chars_are_pdfplumbers_own():
    """read_pdf builds the char dicts itself, for speed: they must be pdfplumber's."""
    import pdfplumber

    from copil.importers.pdf_reader import _load_objects

    path = Path(__file__).parents[1] / "fixtures/documents/convention-cd67-caf67-2019-2022.pdf"
    data = path.read_bytes()
    glyphs: dict = {}
    with pdfplumber.open(io.BytesIO(data)) as ours, pdfplumber.open(io.BytesIO(data)) as theirs:
        for mine, page in list(zip(ours.pages, theirs.pages, strict=True))[:4]:
            chars = _load_objects(mine, glyphs)
            assert chars and chars == page.chars
            assert [list(c) for c in chars] == [list(c) for c in page.chars]  # keys in order
            assert mine.objects == page.objects
            assert [t.cells for t in mine.find_tables()] == [t.cells for t in page.find_tables()]


# -- Formats ------------------------------------------------------------------------------


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


def test_detect_format_trusts_content_before_extension():
    assert detect_format("convention.bin", export_docx(sample_document())) == "docx"
    odt = _zip(mimetype=b"application/vnd.oasis.opendocument.text", content__xml=b"<x/>")
    assert detect_format("convention.docx", odt) == "odt"
    assert detect_format("x.txt", b"%PDF-1.7\n...") == "pdf"
    assert detect_format("x.txt", b'\xef\xbb\xbf{"title": "x"}') == "json"
    assert detect_format("notes.md", b"# Titre\n") == "markdown"
    assert detect_format("convention.txt", "Thématique 1".encode()) == "text"
    assert detect_format("", b"# A\n\n## B\n\n| a | b |\n|---|---|\n") == "markdown"


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("budget.xlsx", _zip(**{"[Content_Types].xml": b"<x/>", "xl__workbook.xml": b"<x/>"})),
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100),
        ("vide.docx", b""),
        ("tableur.xls", b"quelque chose"),
    ],
)
def test_unsupported_formats_name_the_accepted_ones_in_french(filename, data):
    with pytest.raises(UnsupportedFormatError) as error:
        detect_format(filename, data)
    assert "Formats acceptés" in error.value.message
    assert "Word (.docx)" in error.value.message and "PDF" in error.value.message


def test_read_lines_decodes_bom_and_windows_1252_text():
    assert read_lines("\ufeffFICHE ACTION 1.1\nA\tB".encode(), "text")[0].text == "FICHE ACTION 1.1"
    assert read_lines("Échéancier\tà convenir".encode("cp1252"), "text")[0].cells == (
        "Échéancier",
        "à convenir",
    )


def test_read_lines_dispatches_to_every_reader():
    doc = sample_document()
    data = export_docx(doc)
    assert read_lines(data, "docx") == read_docx(data)
    with pytest.raises(UnsupportedFormatError):
        read_lines(b"{}", "json")
