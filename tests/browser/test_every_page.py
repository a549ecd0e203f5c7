"""axe-core on every page of copil, as a convention admin and as a reader.

The list of pages is not written here: it is read from the URL resolver (every named
pattern outside the Django admin, see tests/web/urlnames.py), so that a page added
tomorrow is crawled without anyone listing it. Path parameters are filled with real
objects of the demo convention through the small tables below; a URL name whose
parameters cannot be filled fails the test with its name, its route and what to add.

A URL that answers 405 to GET (POST-only endpoints: notes, comments, restore, sign,
logout...) is reached through its form instead, in ERROR_STATES, which submits the
forms of the app with bad input and checks the page that says why (0 violations too).
Every page leaves a screenshot in tests/artifacts/ (every-page-<user>-<url name>.png).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.support import ARTIFACTS, SEED, check_a11y, login
from tests.web.urlnames import Route, project_routes

pytestmark = pytest.mark.browser

# --- how to fill path parameters ---------------------------------------------------------

#: What ``<pk>`` designates, by the first segment of the route ("actions/<int:pk>/...").
PK_BY_SEGMENT = {
    "conventions": "convention",
    "actions": "action",
    "pieces-jointes": "attachment",
    "importer": "pending",
    "reunions": "meeting",
    "instances": "body",
    "decisions": "decision",
    "taches": "task",
    "indicateurs": "indicator",
    "mesures": "measurement",
    "bilans": "review",
}
#: Other parameter names, whatever the route (an explicit entry in BY_NAME wins).
BY_PARAM = {
    "pending_pk": "pending",
    "convention_pk": "convention",
    "action_pk": "action",
    "meeting_pk": "meeting",
    "body_pk": "body",
    "indicator_pk": "indicator",
    "review_pk": "review",
    "number": "amendment_number",
    "year": "review_year",
    "token": "calendar_token",
}
#: url name -> {parameter -> object key}, for a route the two tables above get wrong.
BY_NAME: dict[str, dict[str, str]] = {
    # "amendment_update" edits the draft, not the signed amendment (which redirects).
    "amendment_update": {"pk": "convention", "number": "draft_number"},
    "amendment_detail": {"pk": "convention", "number": "amendment_number"},
    "convention_calendar_feed": {"token": "calendar_token", "pk": "convention"},
    "review_download": {"pk": "review", "fmt": "review_format"},
}
#: Extra query strings: the same page in the states people see it in.
VARIANTS = {
    "plan_detail": ["?theme={theme}", "?status=in_progress&year=2020"],
    "plan_versions": ["?de=1&a=2"],
    "search": ["?q=precarite+energetique", "?q=zzzqqq"],
    "convention_history": ["?page=2"],
}


def _value(objects: dict[str, Any], key: str) -> Any:
    value = objects[key]
    return getattr(value, "pk", value)


def fill(route: Route, objects: dict[str, Any]) -> dict[str, Any] | None:
    """The kwargs of ``route``, or None when one of them has no rule (or no object)."""
    kwargs = {}
    for param in route.params:
        key = BY_NAME.get(route.name, {}).get(param)
        if key is None and param == "pk":
            key = PK_BY_SEGMENT.get(route.first_segment)
        if key is None:
            key = BY_PARAM.get(param)
        if key is None or objects.get(key) is None:
            return None
        kwargs[param] = _value(objects, key)
    return kwargs


# --- the objects of the demo convention ------------------------------------------------


@dataclass
class Crawl:
    objects: dict[str, Any] = field(default_factory=dict)
    #: url name -> HTTP status seen, per user
    seen: dict[str, dict[str, int]] = field(default_factory=dict)


def _build_objects(seed, tmp_path) -> dict[str, Any]:
    """A convention in every state a page can show: notes, comments, an attachment, an
    action in the bin, a signed and a draft amendment (two plan versions), a pending
    import, and the governance, monitoring and review objects when their models exist."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from copil.accounts.models import User
    from copil.audit.context import Actor, acting_as
    from copil.conventions import services as conventions
    from copil.conventions.models import PendingImport
    from copil.exporters.json import to_json
    from copil.importers.api import sha256_of
    from copil.plan import services as plan
    from copil.plan.documents import convention_to_document, load_convention
    from tests import factories

    convention = seed.convention
    action = seed.actions["5.3"]
    admin = User.objects.get(username="cd67-admin")
    objects: dict[str, Any] = {
        "convention": convention,
        "action": action,
        "theme": action.orientation.theme_id,
    }
    with acting_as(Actor(label="test", user=admin)):
        plan.add_note(action, author=admin, date=dt.date(2021, 3, 1), text="Comité tenu.")
        plan.add_comment(action, author=admin, text="À présenter au prochain comité.")
        pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
        objects["attachment"] = plan.add_attachment(
            action,
            uploaded_by=admin,
            upload=SimpleUploadedFile("compte-rendu.pdf", pdf, "application/pdf"),
            content_type="application/pdf",
        )
        plan.delete_action(seed.actions["10.4"])  # something in the bin
        for number in sorted(seed.actions)[:4]:  # a second page of history (50 a page)
            for progress in range(1, 16):
                current = type(action).objects.get(pk=seed.actions[number].pk)
                plan.update_action(current, progress=progress)

        def plan_data():
            return to_json(convention_to_document(load_convention(convention.pk)))

        conventions.snapshot_initial_plan(convention, plan_data())
        signed = conventions.create_amendment(
            convention, title="Avenant n° 1 : calendrier", description="Décale 5.3."
        )
        conventions.sign_amendment(signed, signed_on=dt.date(2021, 1, 15), plan_data=plan_data())
        draft = conventions.create_amendment(convention, title="Avenant n° 2 : budget")
        objects["amendment_number"] = signed.number
        objects["draft_number"] = draft.number
        content = SEED.read_bytes()
        objects["pending"] = PendingImport.objects.create(
            uploader=admin,
            convention=convention,
            filename=SEED.name,
            sha256=sha256_of(content),
            content=content,
            expires_at=timezone.now() + dt.timedelta(hours=2),
        )
    # Governance, monitoring, reviews (the models exist; their pages are being added).
    body = convention.governance_bodies.first() or factories.GovernanceBodyFactory(
        convention=convention
    )
    meeting = factories.MeetingFactory(body=body)
    indicator = action.indicators.first() or factories.IndicatorFactory(action=action)
    review = factories.AnnualReviewFactory(convention=convention, year=2020)
    from copil.notifications.models import CalendarToken

    objects |= {
        "calendar_token": CalendarToken.objects.create(user=admin).token,
        "body": body,
        "meeting": meeting,
        "decision": factories.DecisionFactory(meeting=meeting),
        "task": factories.FollowUpTaskFactory(meeting=meeting),
        "indicator": indicator,
        "target": factories.IndicatorTargetFactory(indicator=indicator, year=2021),
        "measurement": factories.MeasurementFactory(indicator=indicator),
        "review": review,
        "review_year": review.year,
        "review_format": "odt",  # a download: probed for its status, no page to check
    }
    return objects


@pytest.fixture
def crawl(seed, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Crawl(objects=_build_objects(seed, tmp_path))


# --- visiting ------------------------------------------------------------------------------


def _shot(page, user: str, label: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"every-page-{user}-{label}")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _urls(objects) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, url) of every page, and the names that could not be filled."""
    urls, unfilled = [], []
    for name, route in sorted(project_routes().items()):
        kwargs = fill(route, objects)
        if kwargs is None:
            unfilled.append(f"{name}: {route.route} (parameters {', '.join(route.params)})")
            continue
        url = reverse(name, kwargs=kwargs)
        urls.append((name, url))
        for i, query in enumerate(VARIANTS.get(name, []), start=1):
            urls.append((f"{name}-{i}", url + query.format(**objects)))
    return urls, unfilled


def _visit_all(page, user: str, objects, statuses: dict[str, int]) -> list[str]:
    """Visit every URL; axe-core on every HTML page; returns the failures, all of them."""
    failures: list[str] = []
    urls, unfilled = _urls(objects)
    if unfilled:
        failures.append(
            "URL names whose parameters the crawl cannot fill: add a rule to PK_BY_SEGMENT, "
            "BY_PARAM or BY_NAME in tests/browser/test_every_page.py (and an object to "
            "_build_objects if needed):\n  " + "\n  ".join(unfilled)
        )
    for label, url in urls:
        if label == "logout":
            continue  # POST only (405 to GET); signing out is tested in tests/accounts
        probe = page.request.get(url, max_redirects=0)
        statuses[label] = probe.status
        if probe.status >= 500:
            failures.append(f"{label} {url}: {probe.status}")
            continue
        if probe.status in (301, 302, 404, 405):
            continue  # redirects, pages this user may not see, POST-only endpoints
        if "text/html" not in probe.headers.get("content-type", ""):
            continue  # a download (attachments): no page to check
        response = page.goto(url)
        assert response is not None and response.status == probe.status, url
        expect(page.locator("h1").first).to_be_visible()
        _shot(page, user, label)
        try:
            check_a11y(page, f"{user} {label}")
        except pytest.fail.Exception as exc:
            failures.append(str(exc))
    return failures


@pytest.mark.parametrize("username", ["cd67-admin", "cd67-lecteur"])
def test_every_page_has_no_axe_violation(page, seed, crawl, username):
    login(page, username, seed.password)
    statuses = crawl.seen.setdefault(username, {})
    failures = _visit_all(page, username.split("-")[1], crawl.objects, statuses)
    assert not failures, "\n\n".join(failures)
    # The crawl did reach the main pages (a broken table would silently visit nothing).
    for name in ("home", "convention_detail", "plan_detail", "action_detail", "search"):
        assert statuses.get(name) == 200, (name, statuses.get(name))
    if username == "cd67-admin":
        for name in ("action_edit", "action_parts", "amendment_update", "import_preview"):
            assert statuses.get(name) == 200, (name, statuses.get(name))
        assert statuses.get("attachment_download") == 200
    else:
        for name in ("action_edit", "action_parts", "amendment_update", "import_upload"):
            assert statuses.get(name) == 404, (name, statuses.get(name))


# --- the pages in their error states ----------------------------------------------------


def _submit(page, form: str, values: dict[str, str] | None = None, files=None) -> None:
    """Fill ``form`` (a CSS selector) and submit it as the browser would without
    JavaScript checks: the server's French messages are what is checked."""
    locator = page.locator(form)
    expect(locator).to_have_count(1)
    for name, value in (values or {}).items():
        field_ = locator.locator(f"[name='{name}']")
        if field_.evaluate("e => e.tagName") == "SELECT":
            field_.select_option(value)
        else:
            field_.fill(value)
    for name, payload in (files or {}).items():
        locator.locator(f"[name='{name}']").set_input_files(payload)
    with page.expect_navigation():
        locator.evaluate("f => { f.noValidate = true; HTMLFormElement.prototype.submit.call(f); }")


def _errors_shown(page) -> None:
    """A French message next to a field (aria-describedby) or in an alert."""
    expect(page.locator("[aria-invalid=true], .alert, [role=alert]").first).to_be_visible()


def test_error_states_have_no_axe_violation(page, seed, crawl, request):
    objects = crawl.objects
    action, convention = objects["action"].pk, objects["convention"].pk
    login(page, "cd67-admin", seed.password)
    bad_file = {"name": "virus.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\0"}
    states: list[tuple[str, str, str, dict[str, str], dict[str, Any]]] = [
        (
            "action_edit",
            f"/actions/{action}/modifier/",
            "main form[method=post]",
            {"progress": "150", "title": ""},
            {},
        ),
        (
            "action_note_add",
            f"/actions/{action}/",
            f"form[action='/actions/{action}/notes/']",
            {"note-date": "31/02/2021", "note-text": ""},
            {},
        ),
        (
            "action_comment_add",
            f"/actions/{action}/",
            f"form[action='/actions/{action}/commentaires/']",
            {"comment-text": ""},
            {},
        ),
        (
            "action_attachment_add",
            f"/actions/{action}/",
            f"form[action='/actions/{action}/pieces-jointes/']",
            {},
            {"attachment-file": bad_file},
        ),
        (
            "amendment_create",
            f"/conventions/{convention}/avenants/nouveau/",
            "main form[method=post]",
            {"title": "", "effective_date": "2021-13-45"},
            {},
        ),
        (
            "amendment_update",
            f"/conventions/{convention}/avenants/{objects['draft_number']}/modifier/",
            "main form[method=post]",
            {"title": ""},
            {},
        ),
        (
            "amendment_sign",
            f"/conventions/{convention}/avenants/{objects['draft_number']}/",
            "main form[method=post]",
            {"signed_on": "pas une date"},
            {},
        ),
        (
            "import_upload",
            "/importer/",
            "main form[method=post]",
            {},
            {
                "document": {
                    "name": "plan.docx",
                    "mimeType": "application/octet-stream",
                    "buffer": b"pas un document",
                }
            },
        ),
    ]
    failures = []
    for label, url, form, values, files in states:
        page.goto(url)
        _submit(page, form, values, files)
        _errors_shown(page)
        _shot(page, "admin", f"error-{label}")
        try:
            check_a11y(page, f"admin {label} (erreurs)")
        except pytest.fail.Exception as exc:
            failures.append(str(exc))
    # A part of the action refused: an amount that is not a number.
    page.goto(f"/actions/{action}/moyens/")
    amount = page.locator("input[name$='-amount_eur']").first
    if amount.count():
        with page.expect_navigation():
            amount.evaluate(
                "e => { e.type = 'text'; e.value = 'beaucoup'; e.form.noValidate = true;"
                " HTMLFormElement.prototype.submit.call(e.form); }"
            )
        _errors_shown(page)
        _shot(page, "admin", "error-action_parts")
        try:
            check_a11y(page, "admin action_parts (erreurs)")
        except pytest.fail.Exception as exc:
            failures.append(str(exc))
    # GET forms with bad input: filters, versions, search.
    for label, url in [
        ("plan_detail", f"/conventions/{convention}/plan/?year=deux-mille&status=inconnu"),
        ("plan_versions", f"/conventions/{convention}/versions/?de=99&a=abc"),
        ("search", "/recherche/?q=" + "x" * 300),
    ]:
        response = page.goto(url)
        assert response.status < 500, (url, response.status)
        _shot(page, "admin", f"error-{label}")
        try:
            check_a11y(page, f"admin {label} (entrée invalide)")
        except pytest.fail.Exception as exc:
            failures.append(str(exc))
    # The page of an object that does not exist, or may not be seen.
    response = page.goto("/actions/999999/")
    assert response.status == 404
    _shot(page, "admin", "error-404")
    try:
        check_a11y(page, "page introuvable (404)")
    except pytest.fail.Exception as exc:
        failures.append(str(exc))
    assert not failures, "\n\n".join(failures)


def test_the_login_page_in_error_has_no_axe_violation(page, seed):
    login(page, "cd67-admin", "mauvais-mot-de-passe", expect_success=False)
    expect(page.get_by_role("alert")).to_be_visible()
    _shot(page, "anonymous", "error-login")
    check_a11y(page, "connexion (erreur)")
