"""What the exporters write, checked through the documents' content (never raw bytes)."""

from __future__ import annotations

import io
import json

import pytest

from copil.exporters.docx import export_docx
from copil.exporters.json import export_json
from copil.exporters.layout import TERM_HEADING, action_rows, convention_blocks
from copil.exporters.markdown import export_markdown
from copil.exporters.odt import export_odt
from copil.importers.model import ImportedAction, from_json
from tests.exporters import sample_document

LABELS = [
    "THEMATIQUE",
    "ORIENTATION",
    "ACTION",
    "Diagnostic partagé",
    "Objectifs opérationnels de l'action",
    "Publics visés",
    "Descriptif de l'action",
    "Résultats attendus",
    "Pilote de l'action",
    "Partenaires associés",
    "Echéancier",
    "Livrables",
    "Budget prévisionnel",
    "Indicateurs d'évaluation",
]


def _fiche_53():
    doc = sample_document()
    theme = doc.themes[1]
    return action_rows(theme, theme.orientations[0], theme.orientations[0].actions[0])


def test_layout_orders_the_document_like_the_source_conventions():
    texts = [b.text for b in convention_blocks(sample_document()) if b.kind == "heading"]
    expected = [
        "Convention territoriale globale pour la période 2019-2022",
        "Article 1 : Objet de la convention",
        "Article 5 : Vie de la convention",
        TERM_HEADING,
        "Titre II – Orientations et priorités politiques partagées",
        "Titre II-1 – Orientations et priorités politiques transverses",
        "THEMATIQUE 1 : Déclinaison territoriale",
        "Orientation 1 : Renforcer la synergie des démarches territorialisées",
        "FICHE ACTION 1.1",
        "Titre II-2 – Orientations et priorités politiques thématiques",
        "THEMATIQUE 5 : Petite enfance",
        "Orientation 1 : Permettre une réponse adaptée aux besoins d'accueil",
        "FICHE ACTION 5.3",
    ]
    assert texts == expected


def test_layout_renders_values_for_the_field_parsers():
    rows = dict(_fiche_53())
    assert [label for label, _ in _fiche_53()] == LABELS
    assert rows["Pilote de l'action"] == (
        "Pour Caf du Bas-Rhin : Direction de l'action territoriale\n"
        "Pour Département du Bas-Rhin : la PMI"
    )
    assert rows["Budget prévisionnel"].splitlines() == [
        "Département du Bas-Rhin : 45 000 € : Création d'un poste de coordination des MAM (1 ETP)",
        "Caf du Bas-Rhin : Mobilisation de moyens humains.",
    ]
    assert rows["Indicateurs d'évaluation"].splitlines() == [
        "Indicateur de réalisation : nombre d'assistants maternels en activité",
        "Indicateur de résultat : taux de couverture",
    ]
    assert rows["Partenaires associés"] == "Ram\nMSA"
    assert rows["Echéancier"] == "Un programme d'actions à convenir"
    assert rows["Livrables"] == "Référentiel partagé"


def test_layout_falls_back_on_the_original_wording_when_a_list_is_empty():
    doc = sample_document()
    action = ImportedAction(
        number="9.9",
        title="T",
        leads_text="CAF et Département",
        partners_text="EMS, DDCS",
        budget_text="A moyens constants",
        indicators_text="Nombre de places",
    )
    rows = dict(action_rows(doc.themes[1], doc.themes[1].orientations[0], action))
    assert rows["Pilote de l'action"] == "CAF et Département"
    assert rows["Partenaires associés"] == "EMS, DDCS"
    assert rows["Budget prévisionnel"] == "A moyens constants"
    assert rows["Indicateurs d'évaluation"] == "Nombre de places"


def test_docx_has_real_headings_and_one_table_per_fiche():
    from docx import Document

    word = Document(io.BytesIO(export_docx(sample_document())))
    styles = {p.text: p.style.name for p in word.paragraphs if p.text}
    assert styles["Convention territoriale globale pour la période 2019-2022"] == "Title"
    assert styles["THEMATIQUE 5 : Petite enfance"] == "Heading 2"
    assert styles["FICHE ACTION 5.3"].startswith("Heading")
    assert styles["Représenté par le Directeur, Monsieur Francis BRISBOIS"] == "Normal"
    assert len(word.tables) == 2
    table = word.tables[1]
    assert [row.cells[0].text for row in table.rows] == LABELS
    leads = table.rows[8].cells[1]
    assert [p.text for p in leads.paragraphs] == [
        "Pour Caf du Bas-Rhin : Direction de l'action territoriale",
        "Pour Département du Bas-Rhin : la PMI",
    ]
    assert table.rows[2].cells[1].text == "Promouvoir l'accueil individuel sous diverses formes"


def test_odt_has_real_headings_and_one_table_per_fiche():
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import H, P

    odt = load(io.BytesIO(export_odt(sample_document())))
    headings = [teletype.extractText(h) for h in odt.text.getElementsByType(H)]
    assert "FICHE ACTION 5.3" in headings
    assert TERM_HEADING in headings
    tables = odt.text.getElementsByType(Table)
    assert len(tables) == 2
    rows = tables[1].getElementsByType(TableRow)
    labels = [teletype.extractText(r.getElementsByType(TableCell)[0]) for r in rows]
    assert labels == LABELS
    budget = rows[12].getElementsByType(TableCell)[1].getElementsByType(P)
    assert [teletype.extractText(p) for p in budget] == [
        "Département du Bas-Rhin : 45 000 € : Création d'un poste de coordination des MAM (1 ETP)",
        "Caf du Bas-Rhin : Mobilisation de moyens humains.",
    ]


def test_markdown_has_headings_and_pipe_tables():
    text = export_markdown(sample_document()).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Convention territoriale globale pour la période 2019-2022"
    assert "## THEMATIQUE 5 : Petite enfance" in lines
    assert "#### FICHE ACTION 5.3" in lines
    assert "| --- | --- |" in lines
    assert (
        "| Pilote de l'action | Pour Caf du Bas-Rhin : Direction de l'action territoriale<br>"
        "Pour Département du Bas-Rhin : la PMI |"
    ) in lines
    assert (
        "| Descriptif de l'action | Développer la formation continue \\| avec les Ram.<br>"
        "Promouvoir monenfant.fr |" in lines
    )


@pytest.mark.parametrize("doc", [sample_document()])
def test_json_is_lossless(doc):
    data = export_json(doc)
    assert data.decode("utf-8").startswith("{\n  ")
    assert "é" in data.decode("utf-8")  # accents kept, not \u-escaped
    assert from_json(json.loads(data)) == doc
