"""The demo convention's 2020 review in PDF, DOCX and ODT, read back: cover, table of
contents, themes and actions, the masked count, decisions under their actions, the
comparison with 2019. Content, never bytes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from copil.reviews import render, selectors
from tests.reviews.conftest import DECISION_51, DECISION_83, MILESTONE_LATE, NOTE_53

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
INDICATOR = "Nombre d'assistants maternels en activité"


def _content(demo):
    return selectors.review_content(demo.convention, 2020)


def _between(text: str, start: str, end: str) -> str:
    """The text from ``start`` (after the table of contents) to ``end``."""
    first = text.index(start, text.index("Synthèse", text.index("Sommaire") + 10))
    return text[first : text.index(end, first)]


def _check_body(text: str) -> None:
    """What every format must say, in its reading order (lines joined: a PDF wraps them)."""
    text = re.sub(r"\s+", " ", text.replace("\u202f", " "))
    assert "Bilan annuel 2020" in text
    assert "Département du Bas-Rhin" in text and "Caf du Bas-Rhin" in text
    assert "Sommaire" in text
    assert "Thématique 5 : Petite Enfance" in text
    action_51 = _between(text, "Action 5.1 :", "Action 5.2 :")
    assert DECISION_51 in action_51  # the decision under its action
    action_53 = _between(text, "Action 5.3 :", "Action 5.5 :")
    assert "Sud : < 5" in action_53  # 3, below the threshold
    assert "Sud : 3" not in text
    assert NOTE_53 in action_53
    assert MILESTONE_LATE in action_53 and "en retard" in action_53
    assert "À venir, 0 %" in action_53  # end of 2019, rolled back from the history
    assert "En cours" in action_53 and "40 %" in action_53
    assert DECISION_83 in _between(text, "Action 8.3 :", "Action 8.4 :")
    assert DECISION_51 not in _between(text, "Action 5.2 :", "Action 5.3 :")


def test_the_content_is_computed_once_for_every_format(demo):
    content = _content(demo)
    theme = next(t for t in content.themes if t.number == 5)
    action = next(a for a in theme.actions if a.number == "5.3")
    indicator = next(i for i in action.indicators if i.label == INDICATOR)
    assert (indicator.value, indicator.target, indicator.previous) == ("55", "60", "30")
    assert indicator.achievement == "91,7 %"
    assert indicator.trend == "en hausse, favorable"
    by_territory = {m.territory: m.value for m in indicator.measurements}
    assert by_territory == {"ensemble": "55", "Nord": "12", "Ouest": "40", "Sud": "< 5"}
    assert indicator.measurements_text == (
        "Mesures 2020 — ensemble : 55 ; Nord : 12 ; Ouest : 40 ; Sud : < 5 (état : brouillon)"
    )
    assert [p.text for p in indicator.chart.points] == ["30", "55"]
    assert (action.comparison.previous_status, action.comparison.status) == ("À venir", "En cours")
    assert [d.text for d in action.decisions] == []
    assert [d.text for d in next(a for a in theme.actions if a.number == "5.1").decisions] == [
        DECISION_51
    ]
    assert content.toc[0].title == "Synthèse"
    assert content.cover.draft
    assert "Total" in content.summary.budget.footer.cells
    # The PDF writes short tables as lines (the budget of an action, per institution).
    assert content.summary.budget.lines[-1].startswith("Total : ")
    assert len(content.summary.budget.lines) == len(content.summary.budget.rows) + 1


def test_pdf_read_back_and_rendered_to_png(demo):
    import pdfplumber

    data = render.render(_content(demo), "pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    cover, toc = pages[0], pages[1]
    assert "Bilan annuel 2020" in cover
    assert "Département du Bas-Rhin" in cover and "Caf du Bas-Rhin" in cover
    assert "Sommaire" in toc and "Thématique 5 : Petite Enfance" in toc
    # target-counter wrote the page numbers: the theme's line ends with its page.
    line = next(x for x in toc.splitlines() if x.startswith("Thématique 5 : Petite Enfance"))
    page = int(line.rsplit(" ", 1)[-1].strip("."))
    assert "Thématique 5 : Petite Enfance" in pages[page - 1]
    text = "\n".join(pages).replace("\u202f", " ")
    _check_body(text)
    assert "Page 3 / " in pages[2]
    # The chart of the measured indicator: one text per year under its bar.
    action_53 = _between(re.sub(r"\s+", " ", text), "Action 5.3 :", "Action 5.5 :")
    assert "2019 : 30" in action_53 and "2020 : 55" in action_53
    assert "Valeur 2020 : 55 ; cible : 60 ; atteinte : 91,7 % ; 2019 : 30" in action_53
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed: no PNG of the pages")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf_path = ARTIFACTS / "bilan-2020.pdf"
    pdf_path.write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            str(page),
            str(pdf_path),
            str(ARTIFACTS / "bilan-2020-page"),
        ],
        check=True,
        timeout=120,
    )
    pdf_path.unlink()
    pngs = sorted(ARTIFACTS.glob("bilan-2020-page-*.png"))
    assert len(pngs) >= 3 and all(p.stat().st_size > 1000 for p in pngs)


def test_docx_read_back(demo):
    import docx

    document = docx.Document(io.BytesIO(render.render(_content(demo), "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Thématique 5 : Petite Enfance" in headings
    assert any(h.startswith("Action 5.3 :") for h in headings)
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert [INDICATOR, "55", "60", "91,7 %", "30", "en hausse, favorable"] in cells
    measured = next(p for p in paragraphs if p.startswith(f"{INDICATOR} — Mesures"))
    assert "Nord : 12" in measured and "Sud : < 5" in measured and "brouillon" in measured
    # Tables interleaved with paragraphs, in document order, for the checks in order.
    body = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            body.append("".join(t.text or "" for t in element.iter() if t.tag.endswith("}t")))
        elif element.tag.endswith("}tbl"):
            body.append(" | ".join(t.text or "" for t in element.iter() if t.tag.endswith("}t")))
    _check_body("\n".join(body).replace("\u202f", " "))
    assert "Sommaire" in paragraphs
    pictures = document.inline_shapes
    assert len(pictures) >= 1  # the chart of the measured indicator, as PNG


def test_odt_read_back(demo):
    from odf import teletype
    from odf.opendocument import load
    from odf.table import TableCell, TableRow
    from odf.text import H

    document = load(io.BytesIO(render.render(_content(demo), "odt")))
    headings = [teletype.extractText(h) for h in document.getElementsByType(H)]
    assert "Thématique 5 : Petite Enfance" in headings
    assert any(h.startswith("Action 5.3 :") for h in headings)
    rows = [
        [teletype.extractText(c) for c in row.getElementsByType(TableCell)]
        for row in document.getElementsByType(TableRow)
    ]
    assert [INDICATOR, "55", "60", "91,7 %", "30", "en hausse, favorable"] in rows
    text = teletype.extractText(document.text).replace("\u202f", " ")
    _check_body(text)
    assert any(name.endswith(".png") for name in document.Pictures)
