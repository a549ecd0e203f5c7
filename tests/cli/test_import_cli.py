"""`copil import` / `copil export` / `copil demo` on the repo's copy of the real documents."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from copil.accounts.models import User
from copil.cli import DEMO_DOCUMENT, cli
from copil.conventions.models import Convention
from copil.plan.models import Action

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
SEED = FIXTURES / "convention-cd67-caf67-2019-2022.txt"
REPORT = FIXTURES / "rapport-cg67-2013-renouvellement-convention-caf.txt"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_demo_document_is_the_repo_copy():
    assert DEMO_DOCUMENT == SEED and SEED.is_file()


@pytest.mark.django_db
def test_dry_run_json_prints_the_structure_and_changes_nothing():
    result = run("import", SEED, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"title", "parties", "term", "themes", "warnings"} <= data.keys()
    assert set(data["term"]) >= {
        "initial_term_months",
        "renewal_period_months",
        "tacit_renewal",
        "max_total_term_months",
        "notice_period_months",
        "notice_form",
    }
    action = data["themes"][4]["orientations"][0]["actions"][2]
    assert action["number"] == "5.3"
    assert set(action) >= {
        "number",
        "title",
        "shared_diagnosis",
        "operational_objectives",
        "target_audiences",
        "description",
        "expected_results",
        "leads",
        "partners",
        "schedule",
        "milestones",
        "deliverables",
        "budget",
        "indicators",
    }
    assert {"code", "message", "location"} <= set(data["warnings"][0])
    assert Convention.objects.count() == 0


@pytest.mark.django_db
def test_import_twice_then_export_and_reimport(tmp_path):
    first = run("import", SEED)
    assert first.exit_code == 0 and "créée" in first.output
    assert Action.objects.count() == 35
    second = run("import", SEED)
    assert "déjà importé" in second.output
    assert Convention.objects.count() == 1 and Action.objects.count() == 35
    convention = Convention.objects.get()
    for fmt in ("docx", "odt", "md", "json"):
        out = tmp_path / f"plan.{fmt}"
        result = run("export", convention.pk, "--format", fmt, "--output", out)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
        # The export of a stored plan imports back onto the same convention with no difference.
        back = run("import", out, "--convention", convention.pk)
        assert back.exit_code == 0, back.output
        assert "diffère" not in back.output, back.output
    assert Convention.objects.count() == 1


@pytest.mark.django_db
def test_import_errors_are_one_french_line(tmp_path):
    empty = tmp_path / "vide.xlsx"
    empty.write_bytes(b"PK\x03\x04 not really")
    result = CliRunner().invoke(cli, ["import", str(empty)])
    assert result.exit_code != 0
    missing = CliRunner().invoke(cli, ["import", str(tmp_path / "absent.pdf")])
    assert missing.exit_code != 0 and "introuvable" in missing.output
    assert Convention.objects.count() == 0


@pytest.mark.django_db
def test_demo_is_idempotent():
    assert run("demo").exit_code == 0
    assert run("demo").exit_code == 0
    convention = Convention.objects.get()
    assert convention.effective_date.isoformat() == "2019-07-01"
    assert Action.objects.count() == 35
    # The Bas-Rhin and its action territories, so measurements can be broken down.
    assert convention.territory.name == "Bas-Rhin" and convention.territory.code == "67"
    children = sorted(convention.territory.children.values_list("name", flat=True))
    assert children == ["Eurométropole", "Nord", "Ouest", "Sud"]
    # Demo accounts have an address on a reserved domain, so `copil remind` can be tried.
    emails = set(User.objects.exclude(email="").values_list("email", flat=True))
    assert "cd67-admin@demo.copil.invalid" in emails


@pytest.mark.django_db
def test_the_2013_report_imports():
    result = run("import", REPORT, "--dry-run", "--json")
    data = json.loads(result.stdout)
    assert data["reference"] == "CG/2013/17"
    assert len(data["themes"]) == 8
