"""Who may open and post every monitoring page: each role x each view x an object they may
and may not see. What may not be seen, or not done, is a 404; the anonymous visitor is
sent to the login page."""

import datetime as dt

import pytest
from django.utils import timezone

from copil.monitoring.enums import MeasurementStatus
from tests.factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

#: The URL names this matrix checks (tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {
    "indicator_detail",
    "indicator_edit",
    "measurement_create",
    "measurement_edit",
    "measurement_submit",
    "measurement_delete",
    "measurement_reopen",
    "convention_indicators",
    "period_validate",
    "period_reopen",
    "secrecy_edit",
    "measurements_csv",
    "measurements_import",
}

ROLES = ["admin", "editor", "lead_cd", "lead_caf", "reader", "non_member", "superuser"]
MEMBERS = {"admin", "editor", "lead_cd", "lead_caf", "reader"}
#: who may do what on the "shared" convention (its action "cd" is led by the CD)
ALLOWED = {
    "view": MEMBERS | {"superuser"},
    "enter": {"admin", "editor", "lead_cd", "superuser"},  # edits action 1.1
    "import": {"admin", "editor", "lead_cd", "lead_caf", "superuser"},  # leads some action
    "validate": {"admin", "editor", "superuser"},
    "manage": {"admin", "superuser"},
}


@pytest.fixture
def objects(world):
    """Per convention ("shared", "other", "deleted"): an indicator, a draft and a validated
    measurement, on its action led by the CD."""
    found = {}
    for key in ("shared", "other", "deleted"):
        action = world.actions["cd" if key == "shared" else key]
        indicator = IndicatorFactory(action=action)
        draft = MeasurementFactory(
            indicator=indicator,
            period="2021",
            period_start=dt.date(2021, 1, 1),
            period_end=dt.date(2021, 12, 31),
        )
        validated = MeasurementFactory(
            indicator=indicator,
            status=MeasurementStatus.VALIDATED,
            validated_at=timezone.now(),
        )
        found[key] = {
            "convention": getattr(world, key),
            "indicator": indicator,
            "draft": draft,
            "validated": validated,
        }
    return found


# page -> (rule, url from the objects of one convention)
GET_PAGES = {
    "indicator_detail": ("view", lambda o: f"/indicateurs/{o['indicator'].pk}/"),
    "indicator_edit": ("enter", lambda o: f"/indicateurs/{o['indicator'].pk}/modifier/"),
    "measurement_create": (
        "enter",
        lambda o: f"/indicateurs/{o['indicator'].pk}/mesures/nouvelle/",
    ),
    "measurement_edit": ("enter", lambda o: f"/mesures/{o['draft'].pk}/modifier/"),
    "measurement_reopen": ("validate", lambda o: f"/mesures/{o['validated'].pk}/rouvrir/"),
    "convention_indicators": (
        "view",
        lambda o: f"/conventions/{o['convention'].pk}/indicateurs/",
    ),
    "period_reopen": (
        "validate",
        lambda o: f"/conventions/{o['convention'].pk}/indicateurs/rouvrir/",
    ),
    "secrecy_edit": (
        "manage",
        lambda o: f"/conventions/{o['convention'].pk}/secret-statistique/",
    ),
    "measurements_csv": ("view", lambda o: f"/conventions/{o['convention'].pk}/mesures.csv"),
    "measurements_import": (
        "import",
        lambda o: f"/conventions/{o['convention'].pk}/mesures/import/",
    ),
}

POST_PAGES = {
    "measurement_submit": ("enter", lambda o: f"/mesures/{o['draft'].pk}/soumettre/", {}),
    "measurement_delete": ("enter", lambda o: f"/mesures/{o['draft'].pk}/supprimer/", {}),
    "period_validate": (
        "validate",
        lambda o: f"/conventions/{o['convention'].pk}/indicateurs/valider/",
        {"period": "2021"},
    ),
    "measurement_reopen": (
        "validate",
        lambda o: f"/mesures/{o['validated'].pk}/rouvrir/",
        {"reason": "contrôle"},
    ),
    "period_reopen": (
        "validate",
        lambda o: f"/conventions/{o['convention'].pk}/indicateurs/rouvrir/",
        {"period": "2020", "reason": "contrôle"},
    ),
    "secrecy_edit": (
        "manage",
        lambda o: f"/conventions/{o['convention'].pk}/secret-statistique/",
        {"secrecy_threshold": "7"},
    ),
}


def _allowed(rule, role, obj):
    if role == "superuser":
        return True
    return obj == "shared" and role in ALLOWED[rule]


@pytest.mark.parametrize("obj", ["shared", "other", "deleted"])
@pytest.mark.parametrize("page", GET_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(client, world, objects, role, page, obj):
    rule, url = GET_PAGES[page]
    client.force_login(world.users[role])
    response = client.get(url(objects[obj]))
    assert response.status_code == (200 if _allowed(rule, role, obj) else 404)


@pytest.mark.parametrize("obj", ["shared", "other"])
@pytest.mark.parametrize("page", POST_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_post_matrix(client, world, objects, role, page, obj):
    rule, url, data = POST_PAGES[page]
    client.force_login(world.users[role])
    response = client.post(url(objects[obj]), data)
    assert response.status_code == (302 if _allowed(rule, role, obj) else 404)


@pytest.mark.parametrize("page", GET_PAGES)
def test_anonymous_is_sent_to_login(client, objects, page):
    url = GET_PAGES[page][1](objects["shared"])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/connexion/?next=")
