"""The convention parser on small synthetic documents of the same family.

A clean document gives no warning at all; variations seen in other conventions
(lower-case headings, lost spaces, fiches without a heading, repeated table headers,
page numbers) are absorbed; a document with no plan is refused.
"""

from __future__ import annotations

import pytest

from copil.importers.convention import parse_convention
from copil.importers.model import ImportedDocument, StructureNotFoundError
from copil.importers.source import read_text

FIELDS = [
    ("Diagnostic partagé", "Un constat partagé."),
    ("Objectifs opérationnels de l'action", "Mieux coordonner."),
    ("Publics visés", "Les familles"),
    ("Descriptif de l'action", "- Réunir les acteurs - Partager les données"),
    ("Résultats attendus", "Une meilleure coordination."),
    ("Pilote de l'action", "Pour le Département : la PMI Pour la Caf : Direction de l'action"),
    ("Partenaires associés", "EPCI, communes"),
    ("Echéancier", "Fin 2020"),
    ("Livrables", "Bilan annuel"),
    ("Budget prévisionnel", "CD : 1 000 € CAF : Mobilisation de moyens humains."),
    ("Indicateurs d'évaluation", "Nombre de réunions"),
]


def fiche(number: str, theme: str, orientation: str, title: str, heading: str = "FICHE ACTION"):
    rows = [f"THEMATIQUE\t{theme}", f"ORIENTATION\t{orientation}", f"ACTION\t{title}"]
    rows += [f"{label}\t{value}" for label, value in FIELDS]
    head = [f"{heading} {number}", ""] if heading else []
    return "\n".join([*head, *rows, ""])


HEADER = """Convention territoriale globale 2020-2023

Entre

Le Département de la Gironde
1, esplanade Charles de Gaulle - 33074 Bordeaux
Représenté par le Président du Conseil départemental, Monsieur Jean-Luc GLEYZE

Et

La Caisse d'Allocations Familiales de la Gironde
Représentée par sa Directrice, Madame Anne DUPONT
"""

SOMMAIRE = """
SOMMAIRE

Préambule
Titre I – Dispositions générales
- Article 1 : Objet de la convention
Titre II-1 – Orientations transverses
Thématique 1 : Déclinaison territoriale
Orientation 1 : Renforcer la synergie
- Action 1.1 : Coopérer en territoire
Titre II-2 – Orientations thématiques
Thématique 2 : Jeunesse
Orientation 1 : Coordonner les politiques jeunesse
- Action 2.1 : Coordonner le pilotage.
- Action 2.2 : Soutenir les projets
"""

BODY = f"""
Préambule

Un préambule court.

Titre I – Dispositions générales

Article 1 : Objet de la convention

La présente convention a pour objet de coopérer.

Titre II-1 – Orientations transverses

THEMATIQUE 1 : DECLINAISON TERRITORIALE

Introduction de la thématique 1.

Orientation 1 : Renforcer la synergie

Introduction de l'orientation.

{fiche("1.1", "DECLINAISON TERRITORIALE", "Renforcer la synergie", "Coopérer en territoire")}
Titre II-2 – Orientations thématiques

thématique 2 : jeunesse

orientation 1 : coordonner les politiques jeunesse

{fiche("2.1", "JEUNESSE", "Coordonner les politiques jeunesse", "Coordonner le pilotage")}
{
    fiche(
        "2.2",
        "JEUNESSE",
        "Coordonner les politiques jeunesse",
        "Soutenir les projets",
        heading="Ficheaction",
    )
}
Fait à Bordeaux, le
"""


def parse(text: str) -> ImportedDocument:
    return parse_convention(read_text(text))


@pytest.fixture(scope="module")
def clean() -> ImportedDocument:
    return parse(HEADER + SOMMAIRE + BODY)


def test_a_clean_document_gives_no_warning(clean):
    assert clean.warnings == []


def test_clean_document_structure(clean):
    assert clean.title == "Convention territoriale globale 2020-2023"
    assert [p.representative_name for p in clean.parties] == ["Jean-Luc GLEYZE", "Anne DUPONT"]
    assert clean.parties[1].representative_title == "Directrice"
    assert [(t.number, t.kind) for t in clean.themes] == [(1, "transverse"), (2, "thematic")]
    assert clean.themes[0].title == "Déclinaison territoriale"
    assert clean.themes[0].introduction == "Introduction de la thématique 1."
    assert clean.themes[0].orientations[0].introduction == "Introduction de l'orientation."
    assert [a.number for a in clean.actions()] == ["1.1", "2.1", "2.2"]
    assert clean.actions()[0].description == "Réunir les acteurs\nPartager les données"
    assert clean.articles[0].title == "Objet de la convention"


def test_generic_names_in_fiches_point_to_this_conventions_parties(clean):
    leads = clean.actions()[0].leads
    assert [lead.institution for lead in leads] == [
        "Département de la Gironde",
        "Caisse d'Allocations Familiales de la Gironde",
    ]
    assert clean.parties[0].name_as_written == "Le Département de la Gironde"


def test_fiches_without_heading_start_at_their_header_rows():
    body = BODY.replace("FICHE ACTION 2.1\n", "").replace("Ficheaction 2.2\n", "")
    doc = parse(HEADER + SOMMAIRE + body)
    assert [a.number for a in doc.actions()] == ["1.1", "2.1", "2.2"]
    assert [a.title for a in doc.actions()][1:] == [
        "Coordonner le pilotage",
        "Soutenir les projets",
    ]
    assert doc.warnings == []


def test_repeated_header_rows_page_numbers_and_separators_are_ignored():
    spill = "Budget prévisionnel\tCD : 1 000 € CAF : Mobilisation de moyens humains."
    body = BODY.replace(
        spill,
        "Budget prévisionnel\tCD : 1 000 € CAF : Mobilisation\n\n12\n--\t---\n"
        "THEMATIQUE\tDECLINAISON TERRITORIALE\n\tde moyens humains.",
        1,
    )
    doc = parse(HEADER + SOMMAIRE + body)
    assert doc.actions()[0].budget_text == "CD : 1 000 € CAF : Mobilisation de moyens humains."
    assert doc.warnings == []


def test_an_action_missing_from_the_fiches_is_reported():
    doc = parse(
        HEADER + SOMMAIRE.replace("- Action 2.2", "- Action 2.3 : Autre\n- Action 2.2") + BODY
    )
    assert [(w.code, w.location) for w in doc.warnings] == [("toc_mismatch", "ligne 27")]
    assert "2.3" in doc.warnings[0].message


def test_a_document_without_sommaire_is_parsed_without_cross_checks():
    doc = parse(HEADER + BODY)
    assert len(doc.actions()) == 3
    assert doc.warnings == []


def test_empty_field_and_missing_rubric():
    body = BODY.replace("Livrables\tBilan annuel", "Livrables\t/", 1)
    body = body.replace("Echéancier\tFin 2020\n", "", 1)
    doc = parse(HEADER + SOMMAIRE + body)
    codes = sorted(w.code for w in doc.warnings)
    assert codes == ["empty_field", "missing_field"]
    assert all(w.location.startswith("ligne ") for w in doc.warnings)


def test_no_plan_at_all_is_refused():
    with pytest.raises(StructureNotFoundError) as error:
        parse("Lettre de Madame la Directrice\n\nBonjour,\n\nCordialement.\n")
    assert "Aucune thématique" in error.value.message


AXES = """Convention territoriale globale 2021-2024

Axe 1 – Petite enfance

Un axe sans sommaire.

Ficheactionn°1

Axe N°\t1
Orientation\tDévelopper l'accueil
Intitulé de l'action\tOuvrir des places
Contexte\tPeu de places.
Objectif général\tOuvrir 50 places.
Public cible\tFamilles
Contenu de l'action\tCréer des crèches.
Résultats attendus\t50 places
Porteur de l'action\tCaf
Partenaires\tCommunes
Calendrier\t2022
Livrables\tBilan
Financement\tCAF : 10 000 €
Modalités d'évaluation\tNombre de places

Fiche action n° 2

Axe N°\t1
Orientation\tDévelopper l'accueil
Intitulé de l'action\tFormer les assistants maternels
Contexte\tBesoin de formation.
Objectif général\tFormer 100 personnes.
Public cible\tAssistants maternels
Contenu de l'action\tSessions de formation.
Résultats attendus\t100 personnes formées
Porteur de l'action\tDépartement
Partenaires\tRam
Calendrier\t2023
Livrables\tBilan
Financement\tCD : 5 000 €
Modalités d'évaluation\tNombre de personnes formées
"""


def test_another_template_with_global_fiche_numbers_and_axes():
    doc = parse(AXES)
    assert doc.warnings == []
    (theme,) = doc.themes
    assert (theme.number, theme.title, theme.introduction) == (
        1,
        "Petite enfance",
        "Un axe sans sommaire.",
    )
    (orientation,) = theme.orientations
    assert orientation.title == "Développer l'accueil"
    first, second = orientation.actions
    assert (first.number, first.title) == ("1", "Ouvrir des places")
    assert (second.number, second.title) == ("2", "Former les assistants maternels")
    assert first.shared_diagnosis == "Peu de places."
    assert first.operational_objectives == "Ouvrir 50 places."
    assert first.schedule == "2022"
    assert first.budget_text == "CAF : 10 000 €"
    assert second.indicators_text == "Nombre de personnes formées"


def test_headings_that_lost_their_spaces():
    body = BODY.replace(
        "THEMATIQUE 1 : DECLINAISON TERRITORIALE", "THEMATIQUE1:DECLINAISONTERRITORIALE"
    )
    body = body.replace(
        "Orientation 1 : Renforcer la synergie", "Orientation1:Renforcer la synergie"
    )
    doc = parse(HEADER + SOMMAIRE + body)
    assert doc.themes[0].title == "Déclinaison territoriale"
    assert doc.themes[0].orientations[0].introduction == "Introduction de l'orientation."
    assert doc.warnings == []


def test_sommaire_with_leaders_and_page_numbers():
    sommaire = SOMMAIRE.replace(
        "Thématique 2 : Jeunesse", "Thématique 2 : Jeunesse ........ 12"
    ).replace("- Action 2.2 : Soutenir les projets", "- Action 2.2 : Soutenir les projets\t14")
    doc = parse(HEADER + sommaire + BODY)
    assert doc.warnings == []
