"""The import page: upload -> preview (plan and warnings) -> confirm, and its failures."""

import html as html_lib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from copil.accounts.enums import Role
from copil.accounts.models import Membership
from copil.audit.models import AuditEntry
from copil.conventions import forms as convention_forms
from copil.conventions.models import Convention, PendingImport, PlanVersion
from copil.plan.models import Action
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).resolve().parent.parent / "fixtures" / "documents"
CD67 = DOCUMENTS / "convention-cd67-caf67-2019-2022.txt"
TITLE = "Convention territoriale globale pour la période 2019-2022"


def _text(response) -> str:
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def _file(name="convention.txt", content=None):
    return SimpleUploadedFile(name, CD67.read_bytes() if content is None else content)


@pytest.fixture
def staff(client, world):
    user = UserFactory(username="marie", staff=True, institution=world.cd)
    client.force_login(user)
    return user


def _upload(client, url="/importer/", **files):
    return client.post(url, {"document": files.get("document") or _file()})


def test_upload_shows_the_plan_and_the_warnings_side_by_side(client, staff):
    response = _upload(client)
    pending = PendingImport.objects.get()
    assert response.status_code == 302
    assert response.url == f"/importer/{pending.pk}/"
    assert (pending.uploader, pending.filename, len(pending.sha256)) == (
        staff,
        "convention.txt",
        64,
    )

    response = client.get(response.url)
    assert response.status_code == 200
    assert response.context["actions_count"] == 35
    warnings = response.context["doc"].warnings
    assert len(warnings) >= 20
    assert {w.code for w in warnings} >= {"toc_mismatch", "empty_field", "theme_without_action"}
    text = _text(response)
    assert "35" in text and TITLE in text
    assert "Fiche action 5.3" in text
    assert "Département du Bas-Rhin" in text and "Caf du Bas-Rhin" in text
    assert "Conclue pour une durée initiale de 3 ans" in text
    assert "Reconduite tacitement par périodes de 1 an" in text
    first = warnings[0]
    assert f"{first.location} — {first.message} (code {first.code} )" in text
    assert "La thématique 4 « Veille et innovation » ne comporte aucune fiche action." in text
    assert Convention.objects.count() == 3  # the world's; nothing imported yet
    assert "Une convention du même intitulé existe déjà" not in text


def test_a_namesake_is_announced_and_never_overwritten(client, staff, world):
    world.other.title = TITLE
    world.other.save(update_fields=["title"])
    _upload(client)
    pending = PendingImport.objects.get()
    assert "Une convention du même intitulé existe déjà" in _text(
        client.get(f"/importer/{pending.pk}/")
    )
    response = client.post(f"/importer/{pending.pk}/confirmer/", follow=True)
    assert "rien n'a été importé" in _text(response)
    assert response.redirect_chain[-1][0] == "/"  # staff, but not a member of it
    assert not world.other.plan_versions.exists()
    assert world.other.plan.actions.count() == 1


def test_confirm_creates_the_convention_makes_the_uploader_admin_and_a_first_version(client, staff):
    pending = _upload(client) and PendingImport.objects.get()
    response = client.post(f"/importer/{pending.pk}/confirmer/", follow=True)
    convention = Convention.objects.get(title=TITLE)
    assert response.redirect_chain[-1][0] == f"/conventions/{convention.pk}/"
    assert "La convention « " + TITLE + " » a été importée : 35 actions" in _text(response)
    assert Action.objects.filter(plan__convention=convention).count() == 35
    assert Membership.objects.get(convention=convention).user == staff
    assert Membership.objects.get(convention=convention).role == Role.ADMIN
    version = PlanVersion.objects.get(convention=convention)
    assert (version.number, version.label, version.created_by) == (1, "Version initiale", staff)
    assert len(version.data["themes"]) >= 12
    assert not PendingImport.objects.exists()
    entry = AuditEntry.objects.get(convention_id=convention.pk, action="import")
    assert entry.actor == staff


def test_the_same_document_again_says_already_imported(client, staff):
    _upload(client)
    client.post(f"/importer/{PendingImport.objects.get().pk}/confirmer/")
    _upload(client, document=_file("copie.txt"))
    pending = PendingImport.objects.get()
    assert "Ce document a déjà été importé" in _text(client.get(f"/importer/{pending.pk}/"))
    response = client.post(f"/importer/{pending.pk}/confirmer/", follow=True)
    assert "Ce document a déjà été importé (convention « " + TITLE in _text(response)
    assert Convention.objects.filter(title=TITLE).count() == 1
    assert PlanVersion.objects.count() == 1


def _corrupted_docx() -> bytes:
    return (DOCUMENTS / "convention-cd67-caf67-2019-2022.docx").read_bytes()[:3000]


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("budget.xlsx", _xlsx(), "Format non pris en charge (Excel ou tableur)"),
        ("vide.txt", b"", "Le fichier est vide."),
        ("blancs.txt", b"  \n\n ", "Le fichier est vide."),
        ("abime.docx", _corrupted_docx(), "Le fichier est endommagé"),
        ("notes.txt", b"Liste de courses\npain\nlait\n", ""),
    ],
)
def test_a_bad_file_shows_a_french_error_next_to_the_field_and_creates_nothing(
    client, staff, name, content, message
):
    before = Convention.objects.count()
    response = _upload(client, document=_file(name, content))
    assert response.status_code == 200
    errors = response.context["form"].errors["document"]
    assert errors and message in errors[0]
    text = _text(response)
    assert "Erreur : " + errors[0] in text
    assert (Convention.objects.count(), PendingImport.objects.count()) == (before, 0)


def test_a_file_over_20_mb_is_refused(client, staff, monkeypatch):
    monkeypatch.setattr(convention_forms, "MAX_UPLOAD_BYTES", 1000)
    response = _upload(client)
    assert "dépasse la taille maximale de 20 Mo" in response.context["form"].errors["document"][0]
    assert not PendingImport.objects.exists()


def test_an_unexpected_error_during_import_rolls_back_and_says_so(client, staff, monkeypatch):
    from copil.conventions import views

    _upload(client)
    pending = PendingImport.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(views.account_services, "add_member", broken)
    response = client.post(f"/importer/{pending.pk}/confirmer/", follow=True)
    assert response.status_code == 200
    assert "L'import a échoué et rien n'a été enregistré" in _text(response)
    assert not Convention.objects.filter(title=TITLE).exists()
    assert PendingImport.objects.filter(pk=pending.pk).exists()  # may be confirmed again


def test_an_update_shows_the_differences_and_applies_them(client, staff, world):
    _upload(client)
    client.post(f"/importer/{PendingImport.objects.get().pk}/confirmer/")
    convention = Convention.objects.get(title=TITLE)
    changed = CD67.read_bytes().replace(
        "relations dématérialisées Caf - MDPH".encode(), "relations numériques Caf - MDPH".encode()
    )
    response = _upload(
        client, f"/conventions/{convention.pk}/importer/", document=_file("v2.txt", changed)
    )
    pending = PendingImport.objects.get()
    assert pending.convention == convention
    response = client.get(response.url)
    assert response.context["differences"]
    assert "Différences avec la convention enregistrée" in _text(response)
    response = client.post(f"/importer/{pending.pk}/confirmer/", follow=True)
    assert "La convention a été mise à jour" in _text(response)
    assert [v.number for v in PlanVersion.objects.filter(convention=convention)] == [1, 2]


def test_another_users_pending_import_is_404(client, staff, world):
    _upload(client)
    pending = PendingImport.objects.get()
    client.force_login(UserFactory(staff=True))
    assert client.get(f"/importer/{pending.pk}/").status_code == 404
    assert client.post(f"/importer/{pending.pk}/confirmer/").status_code == 404


def test_confirm_is_post_only(client, staff):
    _upload(client)
    pending = PendingImport.objects.get()
    assert client.get(f"/importer/{pending.pk}/confirmer/").status_code == 405


def test_an_expired_preview_asks_to_upload_again(client, staff):
    _upload(client)
    pending = PendingImport.objects.get()
    PendingImport.objects.filter(pk=pending.pk).update(
        created_at=pending.created_at.replace(year=2000),
        expires_at=pending.expires_at.replace(year=2000),
    )
    response = client.post(f"/importer/{pending.pk}/confirmer/", follow=True)
    assert "Cet aperçu a expiré" in _text(response)
    assert not Convention.objects.filter(title=TITLE).exists()


# --- who may import -----------------------------------------------------------------------

ROLES = ["admin", "editor", "lead_caf", "lead_cd", "reader", "non_member", "superuser"]
#: The URL names this module's matrices check (see tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {"import_upload", "convention_import", "import_preview", "import_confirm"}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("owner", ["admin", "editor"])
def test_a_pending_import_is_its_uploaders_only(client, world, role, owner):
    """Preview and confirmation: the uploader alone (a superuser neither); others 404."""
    from copil.conventions import services as convention_services

    pending = convention_services.create_pending_import(
        uploader=world.users[owner],
        filename="convention.txt",
        content=b"x",
        sha256="0" * 64,
        convention=world.shared,
    )
    preview, confirm = f"/importer/{pending.pk}/", f"/importer/{pending.pk}/confirmer/"
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(preview)
    if role == "anonymous":
        assert (response.status_code, response.url) == (302, f"/connexion/?next={preview}")
        assert client.post(confirm).status_code == 302
    elif role == owner:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert client.post(confirm).status_code == 404
    assert PendingImport.objects.filter(pk=pending.pk).exists()


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_import_into_a_convention(client, world, role):
    url = f"/conventions/{world.shared.pk}/importer/"
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(url)
    if role == "anonymous":
        assert (response.status_code, response.url) == (302, f"/connexion/?next={url}")
    elif role in ("admin", "editor", "superuser"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404
    for obj in ("other", "deleted"):
        url = f"/conventions/{getattr(world, obj).pk}/importer/"
        expected = {"anonymous": 302, "superuser": 200}.get(role, 404)
        assert client.get(url).status_code == expected


@pytest.mark.parametrize("role", [*ROLES, "staff", "anonymous"])
def test_the_import_page(client, world, role):
    """New conventions: staff; admins and editors may pick one of their conventions."""
    if role == "staff":
        client.force_login(UserFactory(staff=True))
    elif role != "anonymous":
        client.force_login(world.users[role])
    response = client.get("/importer/")
    if role == "anonymous":
        assert (response.status_code, response.url) == (302, "/connexion/?next=/importer/")
        return
    if role in ("lead_caf", "lead_cd", "reader", "non_member"):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    fields = response.context["form"].fields
    if role == "staff":  # a staff member of no convention: a new convention, no choice
        assert "convention" not in fields
        return
    assert set(fields["convention"].queryset) == (
        {world.shared, world.other, world.deleted} if role == "superuser" else {world.shared}
    )
    assert fields["convention"].required is (role in ("admin", "editor"))


def test_an_editor_imports_into_their_convention_only(client, world):
    client.force_login(world.users["editor"])
    response = client.post("/importer/", {"document": _file(), "convention": world.other.pk})
    assert "Choisissez une convention de la liste." in _text(response)
    response = client.post("/importer/", {"document": _file()})
    assert response.context["form"].errors["convention"]
    assert not PendingImport.objects.exists()
    client.post("/importer/", {"document": _file(), "convention": world.shared.pk})
    assert PendingImport.objects.get().convention == world.shared


QUERIES = {
    "upload": 3 + 1,  # the conventions the user may import into (are there any?)
    "preview": 3 + 3,  # the pending upload; the same bytes imported? a namesake?
}


def test_the_import_pages_cost_a_fixed_number_of_queries(client, staff, django_assert_num_queries):
    with django_assert_num_queries(QUERIES["upload"]):
        assert client.get("/importer/").status_code == 200
    pending = _upload(client) and PendingImport.objects.get()
    with django_assert_num_queries(QUERIES["preview"]):
        assert client.get(f"/importer/{pending.pk}/").status_code == 200


def test_rights_are_checked_again_at_confirmation(client, world):
    client.force_login(world.users["editor"])
    _upload(client, f"/conventions/{world.shared.pk}/importer/")
    pending = PendingImport.objects.get()
    Membership.objects.filter(user=world.users["editor"]).update(role=Role.READER)
    assert client.get(f"/importer/{pending.pk}/").status_code == 404
    assert client.post(f"/importer/{pending.pk}/confirmer/").status_code == 404
    assert not world.shared.plan_versions.exists()
