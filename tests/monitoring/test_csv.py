"""The measurements CSV: export (masked), import (atomic, idempotent), and the CLI."""

from decimal import Decimal

import pytest
from click.testing import CliRunner

from copil.audit.models import AuditEntry
from copil.cli import cli
from copil.exporters.measurements_csv import HEADERS, read_measurements
from copil.monitoring import csvfiles, services
from copil.monitoring.enums import MeasurementStatus
from copil.monitoring.models import Measurement
from copil.monitoring.services import MeasurementImportError, MeasurementInput
from tests.monitoring.helpers import indicators_of, territories
from tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled():
    """The world's shared convention with measurements of every type, one below secrecy."""
    world = build_world()
    convention = world.shared
    places = territories()
    cd_ind = indicators_of(world.actions["cd"])
    caf_ind = indicators_of(world.actions["caf"])
    save = services.save_measurement
    save(cd_ind["count"], MeasurementInput("2020", Decimal(3), territory_id=places["Nord"].pk))
    save(cd_ind["count"], MeasurementInput("2020", Decimal(40), territory_id=places["Sud"].pk))
    save(cd_ind["count"], MeasurementInput("2020", Decimal(43)), submit=True)
    save(cd_ind["rate"], MeasurementInput("2020-T1", Decimal("12.5"), source="CAF; SIAS"))
    save(cd_ind["yes_no"], MeasurementInput("2020", Decimal(1)))
    save(cd_ind["text"], MeasurementInput("2020", value_text="Bonne dynamique;\n« partenariale »"))
    save(caf_ind["count"], MeasurementInput("2020", Decimal(2)), submit=True)
    services.validate_period(convention, "2020", by=None)
    return world, convention, places, cd_ind, caf_ind


def snapshot_all():
    return sorted(
        Measurement.objects.values_list(
            "pk",
            "indicator_id",
            "period",
            "territory_id",
            "value",
            "value_text",
            "source",
            "comment",
            "status",
            "version",
        )
    )


def test_export_is_excel_friendly_and_masked(filled):
    world, convention, *_ = filled
    data = csvfiles.export_csv(convention)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(HEADERS)
    rows = [line.row for line in read_measurements(data)]
    assert len(rows) == 7
    values = {(r.action, r.indicator, r.period, r.territory): r for r in rows}
    nord = values[("1.1", "Nombre de familles accompagnées", "2020", "Nord")]
    assert nord.value == "< 5" and nord.territory_kind == "Territoire d'action"
    assert nord.unit == "familles" and nord.status == "Brouillon"
    assert values[("1.1", "Nombre de familles accompagnées", "2020", "")].value == "43"
    assert values[("1.1", "Nombre de familles accompagnées", "2020", "")].status == "Validée"
    assert values[("1.1", "Taux de non-recours", "2020-T1", "")].value == "12,5"
    assert values[("1.1", "Schéma adopté", "2020", "")].value == "oui"
    assert values[("1.2", "Nombre de familles accompagnées", "2020", "")].value == "< 5"
    assert "Bonne dynamique;\n« partenariale »" in {r.value for r in rows}
    assert b"3" not in data.split(b"Nord")[1].split(b"\r\n")[0]


@pytest.mark.parametrize("who", [None, "admin", "lead_cd"])
def test_reimporting_an_unmodified_export_changes_nothing(filled, who):
    world, convention, *_ = filled
    data = csvfiles.export_csv(convention)
    before, entries = snapshot_all(), AuditEntry.objects.count()
    user = world.users[who] if who else None
    plan = services.import_measurements(convention, data, user=user)
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 7)
    assert snapshot_all() == before
    assert AuditEntry.objects.count() == entries


def _edit(data: bytes, old: str, new: str) -> bytes:
    text = data.decode("utf-8-sig")
    assert text.count(old) == 1, old
    return text.replace(old, new).encode("utf-8")


def test_a_modified_value_and_a_new_line_are_imported(filled):
    world, convention, places, cd_ind, _ = filled
    data = csvfiles.export_csv(convention)
    data = _edit(data, ";12,5;%;", ";13,75;%;")
    new_line = f"1.1;{cd_ind['count'].pk};;2021;Territoire d'action;Ouest;1 250;;SIAS;;Soumise\r\n"
    data += new_line.encode("utf-8")
    plan = services.import_measurements(convention, data, user=world.users["lead_cd"])
    assert (plan.created, plan.updated, plan.unchanged) == (1, 1, 6)
    rate = Measurement.objects.get(indicator=cd_ind["rate"])
    assert rate.value == Decimal("13.75") and rate.version == 2
    created = Measurement.objects.get(period="2021")
    assert created.territory == places["Ouest"] and created.value == 1250
    assert created.status == MeasurementStatus.SUBMITTED
    assert AuditEntry.objects.filter(message="import CSV").count() == 2
    # The masked Nord count kept its value.
    assert Measurement.objects.get(territory=places["Nord"]).value == 3


def test_bad_lines_change_nothing_and_are_listed_in_french(filled):
    world, convention, places, cd_ind, caf_ind = filled
    data = csvfiles.export_csv(convention)
    data = _edit(data, ";12,5;%;", ";14;%;")  # a good change, not applied either
    data = _edit(data, ";43;familles;", ";50;familles;")  # validated: can't change
    bad = [
        "1.1;99999;x;2020;;;1;;;;",  # unknown indicator
        f"1.1;{cd_ind['rate'].pk};x;2020-T9;;;1;;;;",  # bad period
        f"1.1;{cd_ind['rate'].pk};x;2021;;;douze;;;;",  # bad number
        f"1.1;{cd_ind['count'].pk};x;2021;EPCI;Saverne;12;;;;",  # territory of the wrong kind
        f"1.2;{caf_ind['rate'].pk};x;2021;;;5;;;;",  # action the lead_cd may not edit
        f"1.1;{cd_ind['yes_no'].pk};x;2021;;;peut-être;;;;",  # not yes/no
        f"1.1;{cd_ind['count'].pk};x;2022;;;< 5;;;;",  # masked value for a new measurement
        "1.1;1;x;2020",  # wrong number of cells
    ]
    data += ("\r\n".join(bad) + "\r\n").encode("utf-8")
    before, entries = snapshot_all(), AuditEntry.objects.count()
    with pytest.raises(MeasurementImportError) as exc:
        services.import_measurements(convention, data, user=world.users["lead_cd"])
    messages = dict(exc.value.errors)
    assert snapshot_all() == before and AuditEntry.objects.count() == entries
    first = 10  # header + 7 exported lines (the text one on two lines), then the bad ones
    expected = [
        "indicateur « 99999 » inconnu",
        "illisible",
        "n'est pas un nombre",
        "ventilé par « Territoire d'action »",
        "vous ne pouvez pas saisir les mesures de l'action 1.2",
        "répondez « oui » ou « non »",
        "valeur masquée « < 5 » pour une mesure qui n'existe pas",
        "4 colonnes au lieu de 11",
    ]
    for offset, fragment in enumerate(expected):
        assert fragment in messages[first + offset], (first + offset, messages)
    assert "la mesure de 2020 est validée et ne peut pas changer" in messages[2]
    assert len(messages) == len(expected) + 1


def test_a_file_of_another_format_is_refused(filled):
    _, convention, *_ = filled
    with pytest.raises(MeasurementImportError, match="point-virgule"):
        services.import_measurements(convention, b"a,b,c\n1,2,3\n")
    with pytest.raises(MeasurementImportError, match="UTF-8"):
        services.import_measurements(convention, ";".join(HEADERS).encode("cp1252") + b"\xe9")
    with pytest.raises(MeasurementImportError, match="exactement les colonnes"):
        services.import_measurements(convention, b"Action;Valeur\n")


def test_cli_export_then_import_round_trip(filled, tmp_path):
    world, convention, *_ = filled
    out = tmp_path / "mesures.csv"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["measurements", "export", str(convention.pk), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == csvfiles.export_csv(convention)
    before = snapshot_all()
    result = runner.invoke(cli, ["measurements", "import", str(convention.pk), str(out)])
    assert result.exit_code == 0, result.output
    assert "0 mesure(s) créée(s), 0 modifiée(s), 7 inchangée(s)." in result.output
    assert snapshot_all() == before

    out.write_bytes(_edit(out.read_bytes(), ";12,5;%;", ";15;%;"))
    result = runner.invoke(
        cli, ["measurements", "import", str(convention.pk), str(out), "--as", "lead_caf"]
    )
    assert result.exit_code == 2
    assert "vous ne pouvez pas saisir les mesures de l'action 1.1" in result.output
    assert snapshot_all() == before
    result = runner.invoke(
        cli, ["measurements", "import", str(convention.pk), str(out), "--as", "lead_cd"]
    )
    assert result.exit_code == 0, result.output
    entry = AuditEntry.objects.get(message="import CSV")
    assert entry.actor == world.users["lead_cd"]
    result = runner.invoke(cli, ["measurements", "export", "999999"])
    assert result.exit_code == 2 and "aucune convention" in result.output
