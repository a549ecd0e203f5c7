"""What people do in copil, in a real Chromium, with axe-core on every page they see.

The seed is the 2019-2022 Bas-Rhin convention (35 fiches action) and its demo accounts.
Action 6.2 is led by the CAF alone, 10.4 by the Département alone, 5.3 by both.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import SEED, check_a11y, login, require_url, screenshot, url_exists

pytestmark = pytest.mark.browser

EDIT_OR_IMPORT = re.compile(r"modifier|éditer|importer|supprimer|déposer", re.IGNORECASE)
EDIT_HREFS = ", ".join(
    f"a[href*='/{word}/']"
    for word in ("modifier", "moyens", "importer", "supprimer", "restaurer", "nouveau")
)


def _edit_url(pk: int) -> str:
    return f"/actions/{pk}/modifier/"


def _parts_url(pk: int) -> str:
    return f"/actions/{pk}/moyens/"


def _no_edit_or_import_control(page) -> None:
    """No link, button or file input to change anything."""
    expect(page.locator(EDIT_HREFS)).to_have_count(0)
    expect(page.locator("input[type=file]")).to_have_count(0)
    expect(page.get_by_role("link", name=EDIT_OR_IMPORT)).to_have_count(0)
    expect(page.get_by_role("button", name=EDIT_OR_IMPORT)).to_have_count(0)


def test_login_page_and_lockout_after_five_wrong_passwords(page, seed, request):
    """(f) Five wrong passwords lock the account, and the login page says so."""
    page.goto("/connexion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    check_a11y(page, "connexion")
    for attempt in range(1, 5):
        login(page, "cd67-lecteur", f"mauvais-{attempt}", expect_success=False)
        expect(page.get_by_role("alert")).to_contain_text("Identifiant ou mot de passe incorrect")
    check_a11y(page, "connexion (mot de passe erroné)")
    login(page, "cd67-lecteur", "mauvais-5", expect_success=False)
    expect(page.get_by_role("alert")).to_contain_text("temporairement verrouillé")
    screenshot(page, request, "verrouille")
    check_a11y(page, "connexion (compte verrouillé)")
    # Even the right password is refused now.
    login(page, "cd67-lecteur", seed.password, expect_success=False)
    expect(page.get_by_role("alert")).to_contain_text("temporairement verrouillé")


def test_reader_browses_without_any_edit_or_import_control(page, seed, request):
    """(b) A reader sees the list, the convention, the plan and action 5.3, read-only."""
    login(page, "cd67-lecteur", seed.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Conventions")
    check_a11y(page, "liste des conventions")
    _no_edit_or_import_control(page)
    screenshot(page, request, "1-liste")

    page.get_by_role("link", name=seed.convention.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(seed.convention.title)
    check_a11y(page, "convention")
    _no_edit_or_import_control(page)
    screenshot(page, request, "2-convention")
    convention_url = page.url
    # The pages linked from the convention (when they exist), read-only too.
    for step, (link, label) in enumerate(
        [
            ("Tableau de bord de la convention", "tableau de bord"),
            ("Versions du projet", "versions du projet"),
            ("Gérer les avenants", "avenants"),
        ]
    ):
        target = page.get_by_role("link", name=link, exact=True)
        if not target.count():
            continue
        target.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_a11y(page, label)
        _no_edit_or_import_control(page)
        screenshot(page, request, f"2{'abc'[step]}-{label.replace(' ', '-')}")
        page.goto(convention_url)

    page.get_by_role("link", name="Voir le projet de coopération").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Projet de coopération")
    expect(page.get_by_role("status")).to_contain_text("35 actions")
    check_a11y(page, "projet de coopération")
    _no_edit_or_import_control(page)
    screenshot(page, request, "3-plan")

    page.get_by_role("link", name=re.compile(r"^5\.3 — ")).click()
    expect(page).to_have_url(re.compile(rf"/actions/{seed.action_pk('5.3')}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action 5.3")
    expect(page.get_by_role("heading", name="Pilotes de l'action")).to_be_visible()
    check_a11y(page, "action")
    _no_edit_or_import_control(page)
    screenshot(page, request, "4-action-5.3")

    history = page.get_by_role("link", name="Historique des modifications")
    if history.count():
        history.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_a11y(page, "historique d'une action")
        _no_edit_or_import_control(page)
        screenshot(page, request, "5-historique-5.3")

    if url_exists("/importer/"):
        response = page.goto("/importer/")
        assert response.status in (403, 404), f"a reader reached the import page ({response})"
    for path in (_edit_url(seed.action_pk("5.3")), _parts_url(seed.action_pk("5.3"))):
        if url_exists(path):
            assert page.goto(path).status == 404, f"a reader reached {path}"


def test_caf_lead_editor_edits_only_what_the_caf_leads(page, seed, request):
    """(a) caf67-pilote: an edit link on 6.2 (CAF), none on 10.4 (Département alone)."""
    login(page, "caf67-pilote", seed.password)
    caf_action, cd_action = seed.action_pk("6.2"), seed.action_pk("10.4")

    page.goto(f"/actions/{cd_action}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action 10.4")
    expect(page.locator(f"a[href='{_edit_url(cd_action)}']")).to_have_count(0)
    expect(page.locator(f"a[href='{_parts_url(cd_action)}']")).to_have_count(0)
    check_a11y(page, "action menée par le CD seul (pilote CAF)")
    screenshot(page, request, "1-action-10.4-sans-lien")

    page.goto(f"/actions/{caf_action}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action 6.2")
    check_a11y(page, "action menée par la CAF (pilote CAF)")
    screenshot(page, request, "2-action-6.2")

    require_url(_edit_url(caf_action), "the action edit page")
    edit_link = page.locator(f"a[href='{_edit_url(caf_action)}']")
    expect(edit_link).to_have_count(1)
    edit_link.click()
    expect(page).to_have_url(re.compile(re.escape(_edit_url(caf_action)) + "$"))
    expect(page.locator("form[method=post]")).not_to_have_count(0)
    check_a11y(page, "modification d'une action")
    screenshot(page, request, "3-modifier-6.2")

    if url_exists(_parts_url(caf_action)):
        page.goto(f"/actions/{caf_action}/")
        page.locator(f"a[href='{_parts_url(caf_action)}']").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_a11y(page, "moyens d'une action (pilotes, budget, indicateurs, jalons)")
        screenshot(page, request, "4-moyens-6.2")

    response = page.goto(_edit_url(cd_action))
    assert response.status == 404
    screenshot(page, request, "5-modifier-10.4-404")
    if url_exists(_parts_url(cd_action)):
        assert page.goto(_parts_url(cd_action)).status == 404


def test_search_finds_energy_poverty_action(page, seed, request):
    """(c) Searching "precarite energetique" (no accents) finds action 8.3."""
    require_url("/recherche/", "the search page")
    login(page, "cd67-lecteur", seed.password)
    page.goto("/recherche/")
    check_a11y(page, "recherche")
    page.locator("main input[name=q]").fill("precarite energetique")
    with page.expect_navigation():
        page.locator("main input[name=q]").press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche/\?(.*&)?q=precarite\+energetique"))
    check_a11y(page, "recherche (résultats)")
    screenshot(page, request, "resultats")
    result = page.locator(f"main a[href='/actions/{seed.action_pk('8.3')}/']")
    expect(result.first).to_be_visible()
    expect(result.first).to_contain_text("précarité énergétique")
    result.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action 8.3")


def test_concurrent_edits_second_editor_gets_a_conflict(new_page, seed, request):
    """(d) Two editors open the same action; the second to save is told of the conflict."""
    pk = seed.action_pk("5.3")
    require_url(_edit_url(pk), "the action edit page")
    first, second = new_page(), new_page()
    login(first, "cd67-editeur", seed.password)
    login(second, "caf67-editeur", seed.password)
    for page in (first, second):
        page.goto(_edit_url(pk))
        expect(page.locator("form[method=post]")).not_to_have_count(0)
    check_a11y(first, "modification d'une action")

    _set_progress(first, "40")
    _submit(first)
    expect(first).to_have_url(re.compile(rf"/actions/{pk}/$"))
    screenshot(first, request, "1-premier-enregistre")

    _set_progress(second, "60")
    _submit(second)
    expect(second.get_by_role("alert")).to_contain_text(
        re.compile(r"a modifié cette action|conflit", re.IGNORECASE)
    )
    check_a11y(second, "modification d'une action (conflit)")
    screenshot(second, request, "2-second-conflit")
    seed.actions["5.3"].refresh_from_db()
    assert seed.actions["5.3"].progress == 40


def _set_progress(page, value: str) -> None:
    page.get_by_label(re.compile(r"^Avancement")).fill(value)


def _submit(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer", exact=True).click()


def test_import_the_convention_then_open_action_5_3(page, transactional_db, fast_hasher, request):
    """(e) A staff member imports the 2019-2022 document through /importer/: upload, check
    the preview, confirm, then open action 5.3 from the new plan."""
    require_url("/importer/", "the import page")
    from copil.accounts.models import User

    User.objects.create_user("import.staff", password="mot-de-passe-import-67", is_staff=True)
    login(page, "import.staff", "mot-de-passe-import-67")
    page.goto("/importer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer une convention")
    check_a11y(page, "importer")
    page.locator("main input[type=file]").set_input_files(str(SEED))
    screenshot(page, request, "1-fichier-choisi")
    with page.expect_navigation():
        page.get_by_role("button", name="Lire le document").click()

    expect(page).to_have_url(re.compile(r"/importer/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier le document avant l'import")
    expect(page.locator("main")).to_contain_text("Promouvoir l'accueil individuel")
    check_a11y(page, "importer (aperçu)")
    screenshot(page, request, "2-apercu")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer l'import").click()

    expect(page).to_have_url(re.compile(r"/conventions/\d+/$"))
    expect(page.locator("main")).to_contain_text("a été importée : 35 actions")
    check_a11y(page, "convention importée")
    screenshot(page, request, "3-convention-importee")
    page.get_by_role("link", name="Voir le projet de coopération").click()
    page.get_by_role("link", name=re.compile(r"^5\.3 — ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Action 5.3 — Promouvoir l'accueil individuel"
    )
    check_a11y(page, "action importée")
    screenshot(page, request, "4-action-5.3")
