"""`copil review`: the document from the command line, even before a review exists."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from click.testing import CliRunner

from copil.cli import cli
from tests.factories import ConventionFactory, PartyFactory, PlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_review_without_a_stored_review_is_a_draft_from_the_data(tmp_path):
    convention = ConventionFactory(title="Convention de test", effective_date=dt.date(2019, 7, 1))
    PartyFactory(convention=convention)
    ThemeFactory(plan=PlanFactory(convention=convention), number=1, title="Petite enfance")
    output = tmp_path / "bilan.docx"
    args = ["review", str(convention.pk), "--year", "2020", "--format", "docx", "--output"]
    result = CliRunner().invoke(cli, [*args, str(output)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "projet établi à partir des données" in result.output
    text = [p.text for p in docx.Document(str(output)).paragraphs]
    assert "Bilan annuel 2020" in text and "Thématique 1 : Petite enfance" in text


def test_errors_are_one_french_line_with_exit_code_2(tmp_path):
    convention = ConventionFactory(effective_date=dt.date(2019, 7, 1))
    unknown = CliRunner().invoke(cli, ["review", "999999", "--year", "2020"])
    assert unknown.exit_code == 2
    assert "copil : erreur : aucune convention n° 999999." in unknown.output
    bad_year = CliRunner().invoke(cli, ["review", str(convention.pk), "--year", "1990"])
    assert bad_year.exit_code == 2
    assert "L'année 1990 est en dehors de la vie de la convention" in bad_year.output
    assert len(bad_year.output.strip().splitlines()) == 1


def test_the_command_has_help():
    result = CliRunner().invoke(cli, ["review", "--help"])
    assert result.exit_code == 0 and "bilan annuel" in result.output
