"""The Django admin keeps the app's locks: a signed amendment cannot be changed or deleted
through the convention's inline; plan versions are read-only; pending imports are listed
and deleted, never written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory

from copil.audit.models import AuditEntry
from copil.conventions import services
from copil.conventions.admin import AmendmentInline
from copil.conventions.models import Amendment, Convention, PendingImport, PlanVersion
from tests.factories import ConventionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(username="root", superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def amendments():
    convention = ConventionFactory()
    signed = services.create_amendment(convention, title="Avenant signé")
    signed, version = services.sign_amendment(
        signed, signed_on=dt.date(2021, 1, 15), plan_data={"themes": []}
    )
    draft = services.create_amendment(convention, title="Projet d'avenant")
    return convention, signed, draft, version


def _inline_formset(root, convention, data=None):
    request = RequestFactory().get("/")
    request.user = root
    inline = AmendmentInline(Convention, admin.site)
    formset_class = inline.get_formset(request, convention)
    return formset_class(data, instance=convention, prefix="amendments")


def _post_data(formset, changes: dict[int, dict[str, str]]):
    data = {
        "amendments-TOTAL_FORMS": str(len(formset.forms)),
        "amendments-INITIAL_FORMS": str(len(formset.forms)),
        "amendments-MIN_NUM_FORMS": "0",
        "amendments-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(formset.forms):
        amendment = form.instance
        data |= {
            f"amendments-{i}-id": str(amendment.pk),
            f"amendments-{i}-convention": str(amendment.convention_id),
            f"amendments-{i}-number": str(amendment.number),
            f"amendments-{i}-title": amendment.title,
            f"amendments-{i}-description": amendment.description,
            f"amendments-{i}-effective_date": "",
        }
        for name, value in changes.get(amendment.pk, {}).items():
            data[f"amendments-{i}-{name}"] = value
    return data


def test_a_signed_amendment_row_is_locked_in_the_inline(root, amendments):
    convention, signed, draft, _ = amendments
    formset = _inline_formset(root, convention)
    forms = {form.instance.pk: form for form in formset.forms}
    assert all(field.disabled for field in forms[signed.pk].fields.values())
    assert "DELETE" in forms[signed.pk].fields and forms[signed.pk].fields["DELETE"].disabled
    assert not forms[draft.pk].fields["title"].disabled
    # Status and signature date are never written here: signing freezes a plan version.
    assert "status" not in forms[draft.pk].fields and "signed_on" not in forms[draft.pk].fields


def test_a_crafted_post_changes_the_draft_but_neither_changes_nor_deletes_the_signed(
    root, amendments
):
    convention, signed, draft, _ = amendments
    data = _post_data(
        _inline_formset(root, convention),
        {
            signed.pk: {"title": "Réécrit après signature", "DELETE": "on"},
            draft.pk: {"title": "Projet d'avenant, relu"},
        },
    )
    formset = _inline_formset(root, convention, data)
    assert formset.is_valid(), formset.errors
    formset.save()
    signed.refresh_from_db()
    assert signed.title == "Avenant signé" and signed.status == "signed"
    assert Amendment.objects.get(pk=draft.pk).title == "Projet d'avenant, relu"


def test_the_convention_change_page_shows_the_signed_amendment_read_only(client, root, amendments):
    convention, signed, draft, _ = amendments
    html = client.get(f"/admin/conventions/convention/{convention.pk}/change/").content.decode()
    assert 'value="Projet d&#x27;avenant"' in html  # the draft: an input
    # The signed one: its inputs are disabled.
    assert html.count("disabled") >= 4


def test_plan_versions_are_read_only_in_the_admin(client, root, amendments):
    _convention, _signed, _draft, version = amendments
    assert client.get("/admin/conventions/planversion/").status_code == 200
    page = client.get(f"/admin/conventions/planversion/{version.pk}/change/")
    assert page.status_code == 200
    assert 'name="label"' not in page.content.decode()  # shown, not editable
    assert client.get("/admin/conventions/planversion/add/").status_code == 403
    response = client.post(
        f"/admin/conventions/planversion/{version.pk}/change/", {"label": "Réécrite"}
    )
    assert response.status_code == 403
    assert client.post(f"/admin/conventions/planversion/{version.pk}/delete/").status_code == 403
    version.refresh_from_db()
    assert version.label.startswith("Avenant n° 1")
    assert PlanVersion.objects.count() == 1


def test_pending_imports_are_listed_and_deleted_in_the_admin(client, root):
    pending = services.create_pending_import(
        uploader=root, filename="ctg.md", content=b"# CTG", sha256="a" * 64, convention=None
    )
    listing = client.get("/admin/conventions/pendingimport/")
    assert listing.status_code == 200
    assert "ctg.md" in listing.content.decode()
    assert client.get("/admin/conventions/pendingimport/add/").status_code == 403
    page = client.get(f"/admin/conventions/pendingimport/{pending.pk}/change/")
    assert page.status_code == 200 and 'name="filename"' not in page.content.decode()
    response = client.post(
        f"/admin/conventions/pendingimport/{pending.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not PendingImport.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_repr__contains="ctg.md").exists()
