"""htmx in a real Chromium: the plan filters update the tree in place (and the address, so
that the filtered page can be shared and reloaded), a comment is published without leaving
the page; both with axe-core afterwards. Without JavaScript the same forms reload the page
(tests/web/test_htmx.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import check_a11y, login, screenshot

pytestmark = pytest.mark.browser

MARK = "() => { window.__copilSamePage = true; }"
SAME_PAGE = "() => window.__copilSamePage === true"


def test_htmx_is_served_from_the_app(page, seed):
    login(page, "cd67-lecteur", seed.password)
    response = page.request.get("/static/vendor/htmx.min.js")
    assert response.status == 200
    assert "javascript" in response.headers["content-type"]
    page.wait_for_function("() => typeof window.htmx === 'object'")


def test_filtering_the_plan_updates_the_tree_without_reloading(page, seed, request):
    convention = seed.convention.pk
    login(page, "cd67-lecteur", seed.password)
    page.goto(f"/conventions/{convention}/plan/")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    expect(page.locator("#plan-count")).to_have_text("35 actions.")
    page.evaluate(MARK)

    theme = seed.actions["5.3"].orientation.theme
    select = page.get_by_label("Thématique")
    select.focus()  # as a keyboard user would: the choice applies on change, no button
    with page.expect_response(re.compile(rf"/conventions/{convention}/plan/\?")) as answer:
        select.select_option(str(theme.pk))
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#plan-count")).to_contain_text("correspondant aux filtres")
    expect(page).to_have_url(
        re.compile(rf"/conventions/{convention}/plan/\?(.*&)?theme={theme.pk}")
    )
    tree = page.locator("#plan-results")
    expect(tree.get_by_role("link", name=re.compile(r"^5\.3 — "))).to_be_visible()
    expect(tree.get_by_role("heading", level=2)).to_have_count(1)
    expect(tree.get_by_role("heading", level=2)).to_contain_text(theme.title)
    expect(page.get_by_role("link", name="Tout afficher")).to_be_visible()
    assert page.evaluate(SAME_PAGE), "the page was reloaded"
    # Still on the select: the filter did not move the keyboard focus away.
    expect(page.get_by_label("Thématique")).to_be_focused()
    screenshot(page, request, "plan-filtre")
    check_a11y(page, "projet de coopération (filtré par htmx)")

    # The address is that of the filtered page: reloading it shows the same tree.
    count = page.locator("#plan-count").inner_text()
    page.reload()
    expect(page.locator("#plan-count")).to_have_text(count)
    expect(page.get_by_label("Thématique")).to_have_value(str(theme.pk))

    # Back to every action.
    page.evaluate(MARK)
    page.get_by_label("Thématique").select_option("")
    expect(page.locator("#plan-count")).to_have_text("35 actions.")
    expect(page.get_by_role("link", name="Tout afficher")).to_have_count(0)
    assert page.evaluate(SAME_PAGE)


def test_a_comment_is_published_in_place(page, seed, request):
    action = seed.action_pk("5.3")
    login(page, "cd67-pilote", seed.password)
    page.goto(f"/actions/{action}/")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    page.evaluate(MARK)
    comments = page.locator("#comments")
    comments.get_by_role("button", name="Publier").click()
    expect(comments.locator("[aria-invalid=true]")).to_have_count(1)  # empty: refused
    check_a11y(page, "action (commentaire vide, htmx)")
    comments.get_by_label(re.compile("^Commentaire")).fill("Point à inscrire au prochain comité.")
    comments.get_by_role("button", name="Publier").click()
    expect(comments.get_by_role("status")).to_have_text("Votre commentaire a été publié.")
    expect(comments.locator("li")).to_contain_text(["Point à inscrire au prochain comité."])
    expect(comments.get_by_label(re.compile("^Commentaire"))).to_have_value("")
    assert page.evaluate(SAME_PAGE), "the page was reloaded"
    screenshot(page, request, "commentaire-publie")
    check_a11y(page, "action (commentaire publié, htmx)")
