"""The monitoring pages: French errors next to the fields, secrecy everywhere, the lock,
concurrency, the import preview, and a fixed number of queries per page."""

import base64
import html
import re
from decimal import Decimal

import pytest

from copil.monitoring import csvfiles, services
from copil.monitoring.enums import MeasurementStatus
from copil.monitoring.models import IndicatorTarget, Measurement
from copil.monitoring.services import MeasurementInput
from tests.factories import IndicatorTargetFactory
from tests.monitoring.helpers import indicators_of, territories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    places = territories()
    ind = indicators_of(world.actions["cd"])
    return world, ind, places


def login(client, world, role):
    client.force_login(world.users[role])
    return client


def text(response) -> str:
    """The page with its entities decoded ("&lt; 5" reads "< 5")."""
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_entry_form_refuses_bad_input_in_french_next_to_the_field(client, shared):
    world, ind, places = shared
    login(client, world, "lead_cd")
    url = f"/indicateurs/{ind['count'].pk}/mesures/nouvelle/"
    response = client.post(
        url, {"period": "2020-T7", "value": "douze", "territory": places["Saverne"].pk}
    )
    assert response.status_code == 400
    html = text(response)
    assert 'id="id_period_error"' in html and "Période « 2020-T7 » illisible" in html
    assert 'id="id_value_error"' in html and "« douze » n'est pas un nombre" in html
    assert 'aria-describedby="id_period_help id_period_error"' in html
    assert 'id="id_territory_error"' in html  # Saverne is no action territory: not a choice
    assert not Measurement.objects.exists()


def test_entry_form_offers_only_territories_of_the_breakdown(client, shared):
    world, ind, places = shared
    login(client, world, "lead_cd")
    html = text(client.get(f"/indicateurs/{ind['count'].pk}/mesures/nouvelle/"))
    assert "Nord" in html and "Eurométropole" in html and "Saverne" not in html


def test_enter_submit_validate_then_locked_and_reopened(client, shared):
    world, ind, places = shared
    login(client, world, "lead_cd")
    response = client.post(
        f"/indicateurs/{ind['yes_no'].pk}/mesures/nouvelle/",
        {"period": "2020", "value": "oui", "submit": "1"},
    )
    assert response.status_code == 302
    m = Measurement.objects.get()
    assert m.value == 1 and m.status == MeasurementStatus.SUBMITTED
    login(client, world, "editor")
    response = client.post(
        f"/conventions/{world.shared.pk}/indicateurs/valider/", {"period": "2020"}, follow=True
    )
    assert "Période 2020 : 1 mesure(s) validée(s)." in text(response)
    m.refresh_from_db()
    assert m.status == MeasurementStatus.VALIDATED

    login(client, world, "lead_cd")
    response = client.post(f"/mesures/{m.pk}/modifier/", {"period": "2020", "value": "non"})
    assert response.status_code == 409
    assert "est validée : elle ne peut plus être modifiée" in text(response)
    m.refresh_from_db()
    assert m.value == 1

    login(client, world, "admin")
    response = client.post(f"/mesures/{m.pk}/rouvrir/", {"reason": " "})
    assert response.status_code == 400
    assert "Indiquez le motif de la réouverture." in text(response)
    response = client.post(f"/mesures/{m.pk}/rouvrir/", {"reason": "erreur CAF"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == MeasurementStatus.SUBMITTED


def test_the_indicator_page_masks_small_counts_for_every_role(client, shared):
    world, ind, places = shared
    count = ind["count"]
    services.save_measurement(count, MeasurementInput("2019", Decimal(12)))
    services.save_measurement(count, MeasurementInput("2020", Decimal(3)))
    IndicatorTargetFactory(indicator=count, year=2020, value=20)
    for role in ("admin", "reader", "lead_caf"):
        login(client, world, role)
        html = text(client.get(f"/indicateurs/{count.pk}/"))
        assert "< 5" in html and "non communiqué (secret statistique)" in html
        assert ">3<" not in html and ">3 familles<" not in html
        assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
        assert "Données du graphique" in html
        action_html = text(client.get(f"/actions/{world.actions['cd'].pk}/"))
        assert f'href="/indicateurs/{count.pk}/"' in action_html
        assert "dernière valeur (2020) : < 5" in action_html
        listing = text(client.get(f"/conventions/{world.shared.pk}/indicateurs/"))
        assert "< 5" in listing
        csv = client.get(f"/conventions/{world.shared.pk}/mesures.csv")
        assert csv["Content-Type"] == "text/csv; charset=utf-8"
        assert ";< 5;familles;" in csv.content.decode("utf-8-sig")


def test_raw_values_only_in_the_entry_form_of_those_who_see_them(client, shared):
    world, ind, _ = shared
    m, _ = services.save_measurement(ind["count"], MeasurementInput("2020", Decimal(3)))
    login(client, world, "editor")
    html = text(client.get(f"/mesures/{m.pk}/modifier/"))
    assert 'name="value" value="3"' in html
    login(client, world, "lead_cd")
    html = text(client.get(f"/mesures/{m.pk}/modifier/"))
    assert 'name="value" value="< 5"' in html
    # Kept as is, the masked value is unchanged; the comment is saved.
    response = client.post(
        f"/mesures/{m.pk}/modifier/",
        {"period": "2020", "value": "< 5", "comment": "vérifié", "version": m.version},
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.value == 3 and m.comment == "vérifié"


def test_stale_measurement_edit_is_refused(client, shared):
    world, ind, _ = shared
    m, _ = services.save_measurement(ind["rate"], MeasurementInput("2020", Decimal(3)))
    services.save_measurement(ind["rate"], MeasurementInput("2020", Decimal(4)), measurement=m)
    login(client, world, "editor")
    response = client.post(
        f"/mesures/{m.pk}/modifier/", {"period": "2020", "value": "5", "version": "1"}
    )
    assert response.status_code == 400
    assert "modifiée par quelqu'un d'autre" in text(response)


def test_indicator_edit_with_targets_and_concurrency(client, shared):
    world, ind, places = shared
    indicator = ind["count"]
    login(client, world, "lead_cd")
    data = {
        "label": "Nombre de familles suivies",
        "kind": "output",
        "value_type": "number",
        "unit": "familles",
        "direction": "higher",
        "baseline": "10",
        "baseline_year": "2018",
        "breakdown": "action_territory",
        "version": "1",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-year": "2021",
        "targets-0-territory": "",
        "targets-0-value": "1 200",
        "targets-1-year": "2021",
        "targets-1-territory": str(places["Nord"].pk),
        "targets-1-value": "300,5",
    }
    response = client.post(f"/indicateurs/{indicator.pk}/modifier/", data)
    assert response.status_code == 302, text(response)
    assert sorted(IndicatorTarget.objects.values_list("value", flat=True)) == [
        Decimal("300.5"),
        Decimal(1200),
    ]
    indicator.refresh_from_db()
    assert indicator.label == "Nombre de familles suivies" and indicator.version == 2
    # The same form again, loaded at version 1: refused, nothing written.
    response = client.post(f"/indicateurs/{indicator.pk}/modifier/", data | {"label": "Autre"})
    assert response.status_code == 409
    assert "modifié par quelqu'un d'autre" in text(response)
    indicator.refresh_from_db()
    assert indicator.label == "Nombre de familles suivies"
    # French errors next to the fields.
    bad = data | {"version": "2", "label": "", "targets-0-value": "beaucoup", "baseline_year": "18"}
    html = text(client.post(f"/indicateurs/{indicator.pk}/modifier/", bad))
    assert "Le libellé est obligatoire." in html
    assert "« beaucoup » n'est pas un nombre" in html
    assert "Saisissez une année entre 1900 et 2100." in html


def test_secrecy_threshold_form(client, shared):
    world, ind, _ = shared
    services.save_measurement(ind["count"], MeasurementInput("2020", Decimal(7)))
    login(client, world, "admin")
    url = f"/conventions/{world.shared.pk}/secret-statistique/"
    response = client.post(url, {"secrecy_threshold": "0"})
    assert response.status_code == 400 and "Le seuil doit valoir au moins 1." in text(response)
    assert client.post(url, {"secrecy_threshold": "10"}).status_code == 302
    html = text(client.get(f"/indicateurs/{ind['count'].pk}/"))
    assert "< 10" in html


def test_import_preview_then_confirm(client, shared):
    world, ind, _ = shared
    services.save_measurement(ind["rate"], MeasurementInput("2020", Decimal(3)))
    export = csvfiles.export_csv(world.shared).decode("utf-8-sig")
    login(client, world, "lead_cd")
    url = f"/conventions/{world.shared.pk}/mesures/import/"
    changed = export.replace(";3;%;", ";4;%;").encode("utf-8")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"file": SimpleUploadedFile("m.csv", changed, "text/csv")})
    assert response.status_code == 200
    html = text(response)
    assert "0 mesure(s) à créer, 1 à modifier, 0 inchangée(s)." in html
    assert "valeur : 3 → 4" in html
    assert Measurement.objects.get().value == 3  # the preview wrote nothing
    content = base64.b64encode(changed).decode()
    response = client.post(url, {"content": content}, follow=True)
    assert "Import terminé : 0 mesure(s) créée(s), 1 modifiée(s)" in text(response)
    assert Measurement.objects.get().value == 4
    # A bad file: the errors per line, nothing changed.
    bad = (export.replace(";3;%;", ";trois;%;")).encode("utf-8")
    response = client.post(url, {"file": SimpleUploadedFile("m.csv", bad, "text/csv")})
    assert response.status_code == 400
    assert "Ligne 2 : « trois » n'est pas un nombre" in text(response)
    response = client.post(url, {"content": "%%%"})
    assert response.status_code == 400 and "déposez-le à nouveau" in text(response)
    response = client.post(url, {})
    assert response.status_code == 400 and "Choisissez un fichier." in text(response)


QUERIES = {
    "indicator": 3 + 5,  # indicator (+action, theme, plan, convention) through the funnel;
    # measurements; targets; the user's role twice (enter, validate)
    "convention_indicators": 3 + 6,  # convention; actions; their indicators; latest
    # values; counts per period and status; the user's role
    "measurement_edit": 3 + 3,  # measurement (+indicator, action, convention); the
    # territories of the breakdown; the user's role (sees_unmasked)
}


@pytest.mark.parametrize("size", [1, 8])
def test_pages_cost_a_fixed_number_of_queries(client, world, size, django_assert_num_queries):
    places = territories()
    for action_key in ("cd", "caf", "both"):
        for _position in range(size):
            ind = indicators_of(world.actions[action_key])
            for year in range(2018, 2018 + size):
                services.save_measurement(ind["rate"], MeasurementInput(str(year), Decimal(5)))
                services.save_measurement(
                    ind["count"],
                    MeasurementInput(str(year), Decimal(year), territory_id=places["Sud"].pk),
                )
                IndicatorTargetFactory(indicator=ind["rate"], year=year, value=6)
    count = ind["count"]
    m = Measurement.objects.filter(indicator=count).first()
    client.force_login(world.users["admin"])
    pages = {
        "indicator": f"/indicateurs/{count.pk}/",
        "convention_indicators": f"/conventions/{world.shared.pk}/indicateurs/",
        "measurement_edit": f"/mesures/{m.pk}/modifier/",
    }
    for name, url in pages.items():
        with django_assert_num_queries(QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name
