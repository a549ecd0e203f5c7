"""Text cleaning: what a field looks like once the converter's debris is removed."""

import pytest

from copil.importers.text import (
    clean_field,
    clean_inline,
    clean_items,
    fold,
    ligature_key,
    normalise_label,
    same_text,
)


class TestCleanFieldRemovesHtml:
    def test_paragraphs_become_lines(self):
        raw = "<p>Premier paragraphe.</p> <p>Second paragraphe.</p>"
        assert clean_field(raw) == "Premier paragraphe.\nSecond paragraphe."

    def test_inline_tags_are_dropped_without_breaking_the_line(self):
        assert (
            clean_field("- <u>Du CD -> CAF</u> : sollicitation") == "Du CD -> CAF : sollicitation"
        )

    def test_superscripts_are_flattened(self):
        assert clean_field("depuis le 1^{er} janvier 2010") == "depuis le 1er janvier 2010"
        assert clean_field("1 ^{er} trimestre 2019") == "1er trimestre 2019"
        assert clean_field("<u>2^{ème} étape</u> : Mise en place") == "2ème étape : Mise en place"

    def test_entities_and_markdown_emphasis(self):
        assert (
            clean_field("loi du **11 février 2005** &amp; suite")
            == "loi du 11 février 2005 & suite"
        )

    def test_br_breaks_a_line(self):
        assert clean_field("ligne un<br/>ligne deux") == "ligne un\nligne deux"


class TestCleanFieldSplitsLists:
    def test_html_list_with_flattened_dashes(self):
        raw = '<ul style="list-style-type: none"> - Expérimenter ici. - Accompagner là.'
        assert clean_field(raw) == "Expérimenter ici.\nAccompagner là."

    def test_dash_list_after_a_colon(self):
        raw = "Suivi annuel / indicateurs chiffrés : - nombre a - nombre b"
        assert clean_field(raw) == "Suivi annuel / indicateurs chiffrés :\nnombre a\nnombre b"

    def test_items_glued_to_the_previous_word_inside_a_list(self):
        raw = "<ul>- nombre de guichets uniques- nombre d'amats (à compter de 2019)- nombre de Mam"
        assert clean_field(raw).splitlines() == [
            "nombre de guichets uniques",
            "nombre d'amats (à compter de 2019)",
            "nombre de Mam",
        ]

    def test_dash_without_space_before_a_capital(self):
        assert (
            clean_field("-Durée de résolution -Nombre de RDV")
            == "Durée de résolution\nNombre de RDV"
        )

    @pytest.mark.parametrize("glyph", ["✓", "○", "•", "→", "➤"])
    def test_glyph_bullets(self, glyph):
        assert clean_field(f"<ul> {glyph} un {glyph} deux") == "un\ndeux"

    def test_o_sub_bullet_after_a_colon_in_a_list(self):
        raw = "Ils s'informent : - de leurs démarches : o la Caf informe le Département"
        assert clean_field(raw).splitlines() == [
            "Ils s'informent :",
            "de leurs démarches :",
            "la Caf informe le Département",
        ]

    def test_hyphens_outside_a_list_are_kept(self):
        assert clean_field("Etat - CD67 - CAF") == "Etat - CD67 - CAF"
        assert clean_field("Etat – CD 67- CAF – DRDJSCS") == "Etat – CD 67- CAF – DRDJSCS"
        assert clean_field("assurer un suivi - évaluation") == "assurer un suivi - évaluation"

    def test_parentheses_protect_their_hyphens(self):
        raw = "<ul> - Organiser (courrier, SMS - exemple : projet) - Convenir"
        assert clean_field(raw) == "Organiser (courrier, SMS - exemple : projet)\nConvenir"

    def test_a_leading_minus_sign_is_not_a_bullet(self):
        assert clean_field("-5 % de places") == "-5 % de places"

    def test_placeholders_survive(self):
        assert clean_field("-") == "-"
        assert clean_field("/") == "/"
        assert clean_field("") == ""

    def test_items_remember_they_were_bullets(self):
        items = clean_items("Intro : - un - deux")
        assert [(i.text, i.bullet) for i in items] == [
            ("Intro :", False),
            ("un", True),
            ("deux", True),
        ]

    def test_whitespace_is_normalised(self):
        assert clean_field("  un\u00a0 deux \t trois  ") == "un deux trois"


def test_clean_inline_joins_items_as_a_sommaire_would():
    raw = "<ul> - Inciter les opérateurs - Soutenir les projets"
    assert clean_inline(raw) == "Inciter les opérateurs ; Soutenir les projets"
    assert clean_inline("<ul> - Renforcer ; - Veiller ;") == "Renforcer ; Veiller ;"


class TestComparisonKeys:
    def test_lost_spaces_and_punctuation_compare_equal(self):
        assert normalise_label("Ficheactionn°25") == normalise_label("Fiche action n° 25")

    def test_case_and_accents_compare_equal(self):
        assert normalise_label("THEMATIQUE") == normalise_label("Thématique")
        assert normalise_label("Échéancier") == normalise_label("Echeancier")
        assert normalise_label("mise en œuvre") == "miseenoeuvre"

    def test_lost_ligatures(self):
        assert ligature_key("Dé nition") == ligature_key("Définition")
        assert ligature_key("di érentes") == ligature_key("différentes")
        assert same_text("Dé nition des objectifs", "Définition des objectifs")

    def test_same_text_ignores_trivial_differences_only(self):
        assert same_text("Action en cours.", "ACTION EN COURS")
        assert same_text("espaces-rencontres", "espaces rencontres")
        assert not same_text("et de l'équité", "et à l'équité")

    def test_fold(self):
        assert fold("  Déclinaison   TERRITORIALE ") == "declinaison territoriale"
