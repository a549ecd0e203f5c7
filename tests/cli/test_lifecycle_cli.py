"""`copil lifecycle`, run in-process as a user would type it."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from copil.cli import cli

RUNNER = CliRunner()


def run(*args):
    return RUNNER.invoke(cli, list(args), catch_exceptions=False)


def as_json(*args):
    result = run("lifecycle", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_2019_clause():
    assert {
        k: v
        for k, v in as_json(
            "--effective-date",
            "2019-07-01",
            "--initial-term",
            "3y",
            "--renewal",
            "1y",
            "--notice",
            "6m",
            "--on",
            "2024-11-22",
        ).items()
        if k
        in ("status", "period_start", "period_end", "renewal_count", "notice_deadline", "ends_on")
    } == {
        "status": "in_force",
        "period_start": "2024-07-01",
        "period_end": "2025-06-30",
        "renewal_count": 3,
        "notice_deadline": "2024-12-31",
        "ends_on": None,
    }


def test_2013_clause_capped_at_four_years():
    out = as_json(
        "--effective-date",
        "2013-07-01",
        "--initial-term",
        "1y",
        "--renewal",
        "1y",
        "--max-term",
        "4y",
        "--on",
        "2016-11-22",
    )
    assert (out["period_start"], out["period_end"], out["renewal_count"], out["ends_on"]) == (
        "2016-07-01",
        "2017-06-30",
        3,
        "2017-06-30",
    )


def test_2008_clause_without_renewal():
    out = as_json(
        "--effective-date",
        "2008-03-01",
        "--initial-term",
        "4y",
        "--no-tacit-renewal",
        "--on",
        "2013-01-01",
    )
    assert (out["status"], out["ends_on"]) == ("expired", "2012-02-29")


def test_notice_received_gives_the_end():
    out = as_json(
        "--effective-date",
        "2019-07-01",
        "--initial-term",
        "3y",
        "--renewal",
        "1y",
        "--notice",
        "6m",
        "--notice-received",
        "2025-01-01",
        "--on",
        "2025-02-01",
    )
    assert (out["status"], out["ends_on"]) == ("notice_given", "2026-06-30")


def test_readable_french_summary():
    result = run(
        "lifecycle",
        "--effective-date",
        "2019-07-01",
        "--initial-term",
        "3y",
        "--renewal",
        "1y",
        "--notice",
        "6m",
        "--on",
        "2024-11-22",
    )
    assert "Statut : en vigueur" in result.output
    assert "du 01/07/2024 au 30/06/2025" in result.output
    assert "31/12/2024" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--effective-date", "2019-07-01", "--initial-term", "3x"], "unité inconnue"),
        (["--effective-date", "2019-02-30", "--initial-term", "3y"], "pas une date valide"),
        (["--effective-date", "2019-07-01", "--initial-term", "-3y"], "négative"),
        (["--initial-term", "3y"], "indiquez un numéro de convention"),
        (["--effective-date", "2019-07-01", "--initial-term", "3y", "--max-term", "2y"], "max"),
    ],
)
def test_bad_input_is_one_french_line_and_a_non_zero_exit(args, message, capsys):
    from copil.cli import main

    with pytest.raises(SystemExit) as excinfo:
        import sys

        sys.argv = ["copil", "lifecycle", *args]
        main()
    err = capsys.readouterr().err
    assert excinfo.value.code != 0
    assert err.count("\n") == 1 and err.startswith("copil : erreur : ")
    assert message in err.lower() or message in err
    assert "Traceback" not in err


@pytest.mark.django_db
def test_stored_convention(django_db_blocker):
    from tests.factories import ConventionFactory

    convention = ConventionFactory()
    out = as_json(str(convention.pk), "--on", "2024-11-22")
    assert (out["renewal_count"], out["notice_deadline"]) == (3, "2024-12-31")
    result = RUNNER.invoke(cli, ["lifecycle", "999999", "--on", "2024-11-22"])
    assert result.exit_code != 0 and "aucune convention" in result.output


def test_every_command_has_help_text():
    for name, command in cli.commands.items():
        assert command.help, f"copil {name} has no help text"


def test_today_is_the_default_date():
    out = as_json("--effective-date", "2019-07-01", "--initial-term", "3y", "--renewal", "1y")
    assert out["period_start"] <= dt.datetime.now(dt.UTC).date().isoformat()
