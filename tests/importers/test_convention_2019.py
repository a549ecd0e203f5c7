"""The 2019-2022 CD67 / CAF67 convention, parsed from its PDF-to-text conversion.

These tests say what the structure parser must recognise in the seed document and
which of its defects it must report, and nothing else. The snapshot at the end
freezes the whole parse; regenerate it deliberately with COPIL_UPDATE_SNAPSHOTS=1.
"""

from __future__ import annotations

import functools
import json
import os
import time
from pathlib import Path

import pytest

from copil.importers.convention import parse_convention
from copil.importers.model import ImportedAction, ImportedDocument, to_json
from copil.importers.source import read_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "documents" / "convention-cd67-caf67-2019-2022.txt"
SNAPSHOT = FIXTURES / "expected" / "convention-2019.json"


@functools.cache
def seed() -> ImportedDocument:
    return parse_convention(read_text(SEED.read_text(encoding="utf-8")))


@pytest.fixture
def doc() -> ImportedDocument:
    return seed()


def action(number: str) -> ImportedAction:
    return next(a for a in seed().actions() if a.number == number)


# -- Header and general dispositions ------------------------------------------------------------


def test_title(doc):
    assert doc.title == "Convention territoriale globale pour la période 2019-2022"
    assert doc.layout == "convention"


def test_parties_and_their_representatives(doc):
    department, caf = doc.parties
    assert department.institution == "Département du Bas-Rhin"
    assert department.name_as_written == "Le Département du Bas-Rhin"
    assert department.address == "Place du Quartier Blanc - 67964 Strasbourg cedex"
    assert department.representative_name == "Frédéric BIERRY"
    assert department.representative_title == "Président du Département du Bas-Rhin"
    assert caf.institution == "Caf du Bas-Rhin"
    assert caf.address == "22, route de l'Hôpital - 67000 Strasbourg"
    assert caf.representative_name == "Francis BRISBOIS"
    assert caf.representative_title == "Directeur"


def test_preamble_is_the_summary(doc):
    assert doc.summary.startswith("Moins importante dans le Bas-Rhin (11,3%)")
    assert doc.summary.endswith("de nouveaux services pour les populations.")


def test_articles_and_sub_articles(doc):
    assert [a.number for a in doc.articles] == [
        "1",
        "2",
        "3",
        "4",
        "4.1",
        "4.2",
        "4.3",
        "5",
        "5.1",
        "5.2",
    ]
    titles = {a.number: a.title for a in doc.articles}
    assert titles["4.2"] == "Modalités de gouvernance"
    assert titles["5.1"] == "Date d'effet et durée de la convention"
    article3 = next(a for a in doc.articles if a.number == "3").text
    assert "Thématique 12 : Accès aux droits" in article3


def test_cooperation_principles(doc):
    assert len(doc.cooperation_principles) == 3
    assert doc.cooperation_principles[0].startswith("valoriser les contributions respectives")
    assert doc.cooperation_principles[2] == (
        "s'engager à une concertation préalable sur les chantiers majeurs de coopération."
    )


def test_governance_and_specific_conventions_come_from_articles_4_2_and_4_3(doc):
    assert [b.kind for b in doc.governance_bodies] == ["steering", "technical", "bilateral"]
    assert [c.kind for c in doc.specific_conventions] == [
        "management",
        "funding",
        "project",
        "data_exchange",
    ]


def test_term_clause_is_article_5_1(doc):
    assert doc.term.text.startswith("La convention est conclue pour une durée de 3 ans")
    assert doc.term.initial_term_months == 36
    assert doc.term.notice_period_months == 6


# -- Plan ---------------------------------------------------------------------------------------


def test_twelve_themes_with_their_kind(doc):
    assert [t.number for t in doc.themes] == list(range(1, 13))
    assert [t.kind for t in doc.themes] == ["transverse"] * 4 + ["thematic"] * 8
    assert doc.themes[4].title == "Petite Enfance"
    assert doc.themes[0].introduction.startswith("La CAF du Bas-Rhin et le Département")


def test_thirty_five_actions_numbered_per_theme(doc):
    numbers = [a.number for a in doc.actions()]
    assert len(numbers) == 35
    assert numbers[0] == "1.1" and numbers[-1] == "12.6"
    per_theme = {t.number: sum(len(o.actions) for o in t.orientations) for t in doc.themes}
    assert per_theme == {1: 1, 2: 1, 3: 1, 4: 0, 5: 5, 6: 3, 7: 4, 8: 6, 9: 2, 10: 4, 11: 2, 12: 6}


def test_theme_4_has_an_introduction_but_no_orientation(doc):
    veille = doc.themes[3]
    assert veille.title == "Veille et innovation"
    assert veille.orientations == []
    assert veille.introduction.endswith("formalisés le cas échéant sous forme d'avenants.")


def test_orientations_and_their_introductions(doc):
    petite_enfance = doc.themes[4]
    first, second = petite_enfance.orientations
    assert first.title.startswith("Permettre une réponse adaptée")
    assert first.introduction.splitlines()[0] == "Les objectifs suivants ont été précisés :"
    assert second.introduction.startswith("Il s'agira de continuer à promouvoir")
    assert [o.number for o in doc.themes[11].orientations] == [1, 2, 3, 4]


def test_the_fiche_wins_over_the_sommaire_for_the_orientation_of_5_5(doc):
    first, second = doc.themes[4].orientations
    assert [a.number for a in first.actions] == ["5.1", "5.2", "5.3", "5.5"]
    assert [a.number for a in second.actions] == ["5.4"]


def test_orientation_titles_are_the_fiches_wording(doc):
    logement, animation, droits = doc.themes[7], doc.themes[10], doc.themes[11]
    assert logement.orientations[1].title.startswith("Améliorer le parcours résidentiel")
    assert animation.orientations[0].title.startswith("Améliorer le pilotage de l'animation")
    assert droits.orientations[0].title == "Lutte contre le non recours"


def test_action_titles_are_one_line(doc):
    assert action("6.2").title == (
        "Inciter les opérateurs à investir les réseaux sociaux utilisés par les jeunes ; "
        "Soutenir et valoriser les projets d'éducation au numérique des acteurs de terrain"
    )
    assert all("\n" not in a.title for a in doc.actions())


# -- Fiche fields -------------------------------------------------------------------------------


def test_fiche_1_1_description_is_complete():
    description = action("1.1").description.splitlines()
    assert description[0] == (
        "Développer les coopérations en termes de partages d'informations utiles aux deux "
        "partenaires dans le cadre de leurs démarches respectives de contractualisation, de CTG "
        "pour la Caf et de Contrats départementaux pour le Département."
    )
    assert description[1] == "Dans le cadre de leur coopération, Caf et Département s'informent :"
    assert (
        "la Caf informe le Département des conventions territoriales globales à venir dont le "
        "travail de préparation passe par un diagnostic partagé entre la Caf et l'EPCI concerné."
    ) in action("1.1").description
    assert description[-1].startswith("Caf et Département s'invitent réciproquement")


def test_fiche_1_1_other_fields():
    fiche = action("1.1")
    assert (
        fiche.expected_results == "Une cohérence et une complémentarité territoriales renforcées."
    )
    assert fiche.partners_text == "EPCI"
    assert fiche.schedule == "Selon la planification des conventions territoriales globales"
    assert fiche.indicators_text.startswith("Partage effectif d'informations")


def test_list_spilling_over_a_page_in_5_3_indicators():
    lines = action("5.3").indicators_text.splitlines()
    assert lines[0] == "Suivi annuel / indicateurs chiffrés :"
    assert lines[-1] == "nombre de Mam"
    assert len(lines) == 8


def test_budget_of_7_1_continues_after_the_page_break():
    assert action("7.1").budget_text.endswith(
        "feront l'objet d'une décision spécifique du Conseil d'administration."
    )


def test_indicators_of_8_4_include_the_profiles_of_the_young_people():
    assert action("8.4").indicators_text == (
        "Nombre d'orientations des jeunes vers les différents dispositifs ; nombre "
        "d'accompagnements ; durée d'accompagnements ; profils des jeunes accompagnés "
        "(typologie ; situation professionnelle)"
    )
    # A ";" inside brackets does not cut an indicator in two.
    assert [i.label for i in action("8.4").indicators][-1] == (
        "Profils des jeunes accompagnés (typologie ; situation professionnelle)"
    )


@pytest.mark.parametrize(
    ("number", "attribute", "ending"),
    [
        ("9.1", "description", "à participer à un réseau des Médiateurs élargi."),
        ("9.2", "description", "aux différentes instances d'évaluation de l'expérimentation."),
        ("10.1", "description", "Accueil, Accompagnement et Accessibilité."),
        ("10.4", "description", "à partir de 5 % d'enfants handicapés accueillis."),
        ("8.1", "description", "Etudier l'opportunité de la mise en œuvre du permis de louer."),
        ("6.1", "description", "sur la situation des jeunes"),
        ("12.2", "budget_text", "décision spécifique du Conseil d'administration."),
    ],
)
def test_other_page_break_continuations(number, attribute, ending):
    assert getattr(action(number), attribute).endswith(ending)


def test_page_break_joins_a_cut_sentence_with_a_space():
    assert "mise en œuvre d'une procédure et de courriers communs." in action("9.1").description
    assert "La Caf et le CD participeront ensemble" in action("9.2").description


def test_html_and_superscripts_are_gone(doc):
    for fiche in doc.actions():
        for name in ("shared_diagnosis", "description", "budget_text", "indicators_text"):
            value = getattr(fiche, name)
            assert "<" not in value and "^{" not in value, (fiche.number, name)
    assert action("6.1").schedule.startswith("1er trimestre 2019 :")


def test_no_separator_or_page_debris_in_fields(doc):
    for fiche in doc.actions():
        for name in ("description", "indicators_text", "budget_text", "schedule"):
            assert "---" not in getattr(fiche, name), (fiche.number, name)


def test_placeholders_become_empty_fields():
    assert action("5.5").deliverables == []
    assert action("7.4").partners_text == ""
    assert action("12.1").partners_text == ""


def test_structured_lists_are_filled_by_the_field_parsers():
    assert len(action("5.3").indicators) == 7
    assert action("1.1").leads and action("1.1").budget
    assert action("7.1").milestones


def test_action_location_is_its_fiche_heading():
    assert action("1.1").location == "ligne 378"


# -- Warnings -----------------------------------------------------------------------------------

EXPECTED_WARNINGS = {
    ("toc_mismatch", "ligne 39"),  # Art 5.3 Dénonciation announced, absent
    ("toc_mismatch", "ligne 316"),  # Article 4 title
    ("empty_field", "ligne 394"),  # 1.1 Livrables "-"
    ("theme_without_action", "ligne 461"),  # theme 4
    ("toc_mismatch", "ligne 498"),  # 5.1 title ("et/ou en insertion")
    ("empty_field", "ligne 508"),
    ("toc_mismatch", "ligne 516"),  # 5.2 title ("de l'équité" / "à l'équité")
    ("budget_in_leads", "ligne 522"),  # 5.2 lead row holds budget text
    ("empty_field", "ligne 525"),
    ("empty_field", "ligne 543"),
    ("empty_field", "ligne 566"),
    ("toc_mismatch", "ligne 573"),  # 5.5 under orientation 1, sommaire says 2
    ("empty_field", "ligne 583"),
    ("empty_field", "ligne 626"),
    ("toc_mismatch", "ligne 723"),  # 7.2 title
    ("empty_field", "ligne 770"),
    ("empty_field", "ligne 772"),
    ("toc_mismatch", "ligne 879"),  # 8.4 orientation
    ("toc_mismatch", "ligne 1050"),  # 10.2 title
    ("empty_field", "ligne 1079"),
    ("toc_mismatch", "ligne 1129"),  # orientation 11.1
    ("toc_mismatch", "ligne 1130"),  # 11.1 title
    ("toc_mismatch", "ligne 1147"),  # orientation 11.2
    ("toc_mismatch", "ligne 1148"),  # 11.2 title
    ("toc_mismatch", "ligne 1208"),  # orientation 12.1 ("Lutter" / "Lutte")
    ("empty_field", "ligne 1217"),
    ("empty_field", "ligne 1256"),
    ("empty_field", "ligne 1294"),
    ("empty_field", "ligne 1311"),
}


def warning_at(doc: ImportedDocument, code: str, location: str) -> str:
    return next(w.message for w in doc.warnings if (w.code, w.location) == (code, location))


def test_exactly_the_expected_warnings(doc):
    assert {(w.code, w.location) for w in doc.warnings} == EXPECTED_WARNINGS
    assert len(doc.warnings) == len(EXPECTED_WARNINGS)


def test_warnings_come_in_document_order(doc):
    lines = [int(w.location.split()[-1]) for w in doc.warnings]
    assert lines == sorted(lines)


def test_orientation_of_5_5_disagrees_with_the_sommaire(doc):
    message = warning_at(doc, "toc_mismatch", "ligne 573")
    assert message.startswith("Action 5.5 : le sommaire (ligne 78) la place sous l'orientation 2")


def test_orientation_of_8_4_disagrees_with_sommaire_and_heading(doc):
    message = warning_at(doc, "toc_mismatch", "ligne 879")
    assert "sommaire (ligne 125)" in message and "fiche 8.4" in message


def test_orientation_titles_of_themes_11_and_12(doc):
    assert "« Pilotage »" in warning_at(doc, "toc_mismatch", "ligne 1129")
    assert "« Lutter contre le non recours »" in warning_at(doc, "toc_mismatch", "ligne 1208")


def test_budget_text_in_the_lead_row_of_5_2(doc):
    assert warning_at(doc, "budget_in_leads", "ligne 522").startswith(
        "Fiche 5.2 : la ligne « Pilote de l'action » contient des éléments budgétaires"
    )


def test_theme_4_without_action(doc):
    assert warning_at(doc, "theme_without_action", "ligne 461") == (
        "La thématique 4 « Veille et innovation » ne comporte aucune fiche action."
    )


def test_trivial_title_differences_do_not_warn(doc):
    flagged = {w.message.split(" :")[0] for w in doc.warnings if w.message.startswith("Action")}
    # 6.2 (list vs " ; "), 7.3 (espaces-rencontres), 8.5 (co-signature), 9.2 (CAF.CD)
    assert flagged.isdisjoint({"Action 6.2", "Action 7.3", "Action 8.5", "Action 9.2"})


def test_messages_are_french_sentences(doc):
    assert all(w.message[:1].isupper() and w.message.endswith(".") for w in doc.warnings)


# -- Performance and snapshot -------------------------------------------------------------------


def test_parsing_is_fast_enough():
    lines = read_text(SEED.read_text(encoding="utf-8"))
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        parse_convention(lines)
        timings.append(time.perf_counter() - start)
    assert sorted(timings)[2] < 0.5  # generous: the target is < 50 ms on a quiet machine


def test_snapshot_of_the_full_parse(doc):
    actual = to_json(doc)
    if os.environ.get("COPIL_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(
            json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert actual == expected
