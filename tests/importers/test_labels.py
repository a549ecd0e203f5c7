"""Fiche row labels and heading patterns, as the family of conventions writes them."""

import pytest

from copil.importers.labels import (
    ARTICLE_HEADING,
    FICHE_HEADING,
    ORIENTATION_HEADING,
    SUBARTICLE_HEADING,
    THEME_HEADING,
    TITRE_HEADING,
    TOC_ACTION,
    LabelMatch,
    heading_title,
    kind_of_titre,
    match_label,
    parse_number,
)


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Diagnostic partagé", "shared_diagnosis"),
        ("Rappel de la problématique", "shared_diagnosis"),
        ("Contexte", "shared_diagnosis"),
        ("Enjeu", "shared_diagnosis"),
        ("Objectifs opérationnels de l'action", "operational_objectives"),
        ("Objectifs opérationnels", "operational_objectives"),
        ("Objectif opérationnel", "operational_objectives"),
        ("Objectif général", "operational_objectives"),
        ("Publics visés", "target_audiences"),
        ("Public cible", "target_audiences"),
        ("Descriptif de l'action", "description"),
        ("Description", "description"),
        ("Contenu de l'action", "description"),
        ("Résultats attendus", "expected_results"),
        ("Pilote(s) de l'action", "leads"),
        ("Pilote de l'action", "leads"),
        ("Pilotes", "leads"),
        ("Porteur(s) de l'action", "leads"),
        ("Maître d'ouvrage", "leads"),
        ("Partenaires associés", "partners"),
        ("Partenaires", "partners"),
        ("Echéancier", "schedule"),
        ("Échéancier", "schedule"),
        ("Calendrier", "schedule"),
        ("Date de début de mise en œuvre", "schedule"),
        ("Livrables", "deliverables"),
        ("Budget prévisionnel", "budget"),
        ("Financement", "budget"),
        ("Moyens", "budget"),
        ("Indicateurs d'évaluation", "indicators"),
        ("Indicateurs", "indicators"),
        ("Modalités d'évaluation", "indicators"),
        ("THEMATIQUE", "theme"),
        ("ORIENTATION", "orientation"),
        ("ACTION", "action"),
        ("Axe N°", "theme_number"),
        ("Fiche action n°", "number"),
        ("Bénéficiaires", "target_audiences"),
        ("Modalités de mise en œuvre", "description"),
        ("Référent", "leads"),
        ("Étapes de mise en œuvre", "schedule"),
        ("Critères d'évaluation", "indicators"),
    ],
)
def test_known_labels(label, field):
    assert match_label(label) == LabelMatch(field)


@pytest.mark.parametrize(
    "variant",
    [
        "<p>Résultats attendus</p>",
        "RESULTATS ATTENDUS",
        "Résultatsattendus",
        "Résultats attendus :",
    ],
)
def test_labels_match_whatever_the_case_spaces_or_html(variant):
    assert match_label(variant) == LabelMatch("expected_results")


def test_a_label_cell_may_carry_the_start_of_its_value():
    cell = "Descriptif de l'action Développer les coopérations en termes de"
    assert match_label(cell) == LabelMatch(
        "description", "Développer les coopérations en termes de"
    )


def test_a_number_row_may_carry_its_number():
    assert match_label("Fiche action n° 25") == LabelMatch("number", "25")
    assert match_label("Ficheactionn°25") == LabelMatch("number", "25")


def test_prefix_matches_stop_at_word_boundaries():
    assert match_label("Contextes") is None
    assert match_label("contractualisation, de CTG pour la Caf") is None


def test_header_labels_only_match_exactly():
    assert match_label("Actions menées par la Caf") is None


def test_lost_ligature_labels_match():
    assert match_label("Dé nition") is None  # unknown label, ligature or not
    assert match_label("Pilote de l'action").field == "leads"


def test_parse_number():
    assert parse_number("5.3") == "5.3"
    assert parse_number(" 5 . 3 ") == "5.3"
    assert parse_number("25") == "25"
    assert parse_number("cinq") is None


class TestHeadings:
    @pytest.mark.parametrize(
        "text",
        [
            "THEMATIQUE 5 : PETITE ENFANCE",
            "Thématique 5 : Petite enfance",
            "THEMATIQUE5:PETITE ENFANCE",
            "Axe 5 – Petite enfance",
        ],
    )
    def test_theme(self, text):
        match = THEME_HEADING.match(text)
        assert match and match.group(1) == "5"
        assert heading_title(match.group(2)).casefold() == "petite enfance"

    def test_theme_needs_a_separator(self):
        assert THEME_HEADING.match("Axe 2 du schéma départemental") is None

    def test_orientation(self):
        match = ORIENTATION_HEADING.match("Orientation 1 : Partager la connaissance des risques")
        assert match.group(1) == "1"
        assert ORIENTATION_HEADING.match("Orientations et priorités politiques partagées") is None

    @pytest.mark.parametrize(
        ("text", "number"),
        [
            ("FICHE ACTION 5.3", "5.3"),
            ("Fiche action n°25", "25"),
            ("Ficheactionn°25", "25"),
            ("fiche action 12.6 : Organiser", "12.6"),
        ],
    )
    def test_fiche(self, text, number):
        assert parse_number(FICHE_HEADING.match(text).group(1)) == number

    def test_sommaire_action(self):
        match = TOC_ACTION.match("- Action 5.3 : Promouvoir l'accueil individuel")
        assert match.group(1) == "5.3"
        assert match.group(2) == "Promouvoir l'accueil individuel"

    def test_titles_and_articles(self):
        assert TITRE_HEADING.match("Titre II-1 – Orientations transverses").group(1) == "II-1"
        assert ARTICLE_HEADING.match("Article 4 : Modalités de gouvernance").group(1) == "4"
        sub = SUBARTICLE_HEADING.match("Art 5.1 – Date d'effet et durée de la convention")
        assert sub.group(1, 2) == ("5", "1")
        assert SUBARTICLE_HEADING.match("4.1 Principe de coopération").group(3) == (
            "Principe de coopération"
        )

    def test_kind_of_titre(self):
        assert kind_of_titre("Orientations et priorités politiques transverses") == "transverse"
        assert kind_of_titre("Orientations et priorités politiques thématiques") == "thematic"
        assert kind_of_titre("Dispositions Générales") is None
