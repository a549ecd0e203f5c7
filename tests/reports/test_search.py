"""French full-text search: accents and case folded, the funnel applied, syntax harmless."""

import copy

import pytest
from django.db import connection

from copil.accounts.enums import Role
from copil.plan.models import Action
from copil.reports import search
from copil.reports.selectors import search_results
from tests.factories import (
    ActionFactory,
    ActionLeadFactory,
    ActionPartnerFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
)
from tests.reports.conftest import postgresql_only, sqlite_only

pytestmark = pytest.mark.django_db


def _found(text, actions=None):
    actions = Action.objects.all() if actions is None else actions
    return {hit.action_id for hit in search.search_actions(actions, text)}


def test_unaccented_query_finds_the_demo_action_8_3(demo):
    hits = search.search_actions(
        Action.objects.filter(plan__convention=demo), "precarite energetique"
    )
    action = Action.objects.get(pk=hits[0].action_id)
    assert action.number == "8.3"
    assert action.title == "Concourir à la lutte contre la précarité énergétique"
    assert "<mark>précarité</mark>" in hits[0].snippet
    assert "<mark>énergétique</mark>" in hits[0].snippet


@pytest.mark.parametrize(
    "query", ["precarite energetique", "PRÉCARITÉ ÉNERGÉTIQUE", "Précarité", "ENERGETIQUE"]
)
def test_accents_and_case_are_folded(query):
    action = ActionFactory(title="Lutter contre la précarité énergétique")
    ActionFactory(title="Accueil du jeune enfant")
    assert _found(query) == {action.pk}


def test_every_text_field_and_the_institution_names_are_indexed():
    action = ActionFactory(
        title="Titre",
        description="Repérage des familles monoparentales",
        schedule="Calendrier trimestriel",
        budget_text="À moyens constants",
    )
    ActionLeadFactory(
        action=action,
        institution=InstitutionFactory(name="Mutualité sociale agricole", short_name="MSA"),
        unit="Service action sociale",
    )
    ActionPartnerFactory(
        action=action,
        institution=InstitutionFactory(name="Maison départementale des personnes handicapées"),
    )
    for query in (
        "monoparentales",
        "trimestriel",
        "moyens constants",
        "MSA",
        "mutualite",
        "handicapees",
        "action sociale",
    ):
        assert _found(query) == {action.pk}, query


def test_the_index_follows_every_write():
    action = ActionFactory(title="Soutien à la parentalité")
    assert _found("parentalite") == {action.pk}
    action.title = "Accès aux droits"
    action.save()
    assert _found("parentalite") == set()
    assert _found("acces droits") == {action.pk}

    caf = InstitutionFactory(name="Caf du Bas-Rhin")
    lead = ActionLeadFactory(action=action, institution=caf)
    assert _found("caf") == {action.pk}
    caf.name = "Caisse d'allocations familiales"
    caf.save()
    assert _found("allocations") == {action.pk}
    lead.delete()
    assert _found("allocations") == set()

    pk = action.pk
    action.delete()
    assert _found("acces") == set()
    assert pk not in _found("droits")


def test_rebuild_index_recomputes_every_row():
    action = ActionFactory(title="Insertion professionnelle")
    with connection.cursor() as cursor:
        table = search.SQLITE_TABLE if connection.vendor == "sqlite" else search.PG_TABLE
        cursor.execute(f"DELETE FROM {table}")
    assert _found("insertion") == set()
    search.rebuild_index()
    assert _found("insertion") == {action.pk}


def test_results_are_ranked_and_the_title_weighs_most():
    in_text = ActionFactory(title="Accueil", description="Un mot sur le logement en passant")
    in_title = ActionFactory(title="Logement des jeunes")
    assert [hit.action_id for hit in search.search_actions(Action.objects.all(), "logement")] == [
        in_title.pk,
        in_text.pk,
    ]


def test_snippets_are_escaped():
    ActionFactory(title="Titre", description='<script>alert("x")</script> logement & <b>jeunes</b>')
    (hit,) = search.search_actions(Action.objects.all(), "logement")
    assert "<script>" not in hit.snippet and "<b>" not in hit.snippet
    # SQLite escapes the tags; PostgreSQL's headline drops them: neither reaches the page.
    assert "&lt;script&gt;" in hit.snippet or "script" not in hit.snippet
    assert "&amp;" in hit.snippet
    assert "<mark>logement</mark>" in hit.snippet


def test_highlight_keeps_only_its_own_markup():
    assert search.highlight("a \ue000<b>\ue001 c") == "a <mark>&lt;b&gt;</mark> c"
    assert search.highlight("\ue000open") == "<mark>open</mark>"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "NEAR(",
        "NEAR(logement jeunes, 2)",
        "'; drop table plan_action; --",
        "a OR",
        "logement AND",
        "(",
        ")",
        "^",
        "-logement",
        "col:logement",
        '"logement',
        "\x00",
        "loge\x00ment",
        "\ue000logement\ue001",
        "é" * 500,
        "logement:*",
        "!",
        "&",
        "<->",
        "\\",
    ],
)
def test_malicious_queries_do_no_harm(client, query):
    ActionFactory(title="Logement des jeunes")
    client.force_login(UserFactory(superuser=True))
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    assert Action.objects.count() == 1


def test_words_keep_their_meaning_inside_syntax():
    action = ActionFactory(title="Logement des jeunes")
    assert _found("logement *") == {action.pk}
    assert _found("NEAR(logement") == set()  # the phrase "near logement", not an operator
    assert _found('"logement') == {action.pk}
    assert _found("'; drop") == set()
    assert search.fts5_query(search.query_terms('a"b NEAR( *')) == '"a"* "b"* "NEAR("*'


# --- permissions --------------------------------------------------------------------------


def _search_page(client, world, role, **params):
    client.force_login(world.users[role])
    response = client.get("/recherche/", {"q": "action", **params})
    assert response.status_code == 200
    return {result.action for group in response.context["groups"] for result in group.results}


@pytest.mark.parametrize("role", ["admin", "editor", "lead_cd", "lead_caf", "reader"])
def test_members_find_only_the_actions_of_their_conventions(client, world, role):
    found = _search_page(client, world, role)
    assert found == {world.actions[k] for k in ("cd", "caf", "both")}


def test_a_non_member_finds_nothing(client, world):
    assert _search_page(client, world, "non_member") == set()


def test_a_non_member_finds_nothing_even_by_naming_the_convention(client, world):
    found = _search_page(client, world, "non_member", convention=world.shared.pk)
    assert found == set()
    assert _search_page(client, world, "reader", convention=world.other.pk) == set()


def test_superuser_finds_everything_and_may_narrow_to_one_convention(client, world):
    assert _search_page(client, world, "superuser") == set(world.actions.values())
    assert _search_page(client, world, "superuser", convention=world.other.pk) == {
        world.actions["other"]
    }


def test_results_are_grouped_by_convention(world):
    groups = search_results(Action.objects.all(), "action")
    assert {group.convention for group in groups} == {world.shared, world.other, world.deleted}
    shared = next(g for g in groups if g.convention == world.shared)
    assert len(shared.results) == 3


def test_search_page_shows_highlighted_results_and_a_search_box(client, demo):
    user = UserFactory()
    MembershipFactory(user=user, convention=demo, role=Role.READER)
    client.force_login(user)
    response = client.get("/recherche/", {"q": "precarite energetique"})
    html = response.content.decode()
    assert "Concourir à la lutte contre la précarité énergétique" in html
    assert "<mark>précarité</mark>" in html
    assert 'role="search"' in html
    assert demo.title in html
    assert 'value="precarite energetique"' in html


def test_an_empty_query_shows_the_form_only(client, world):
    client.force_login(world.users["reader"])
    response = client.get("/recherche/")
    assert response.status_code == 200
    assert response.context["groups"] == []


@pytest.mark.parametrize("n_actions", [3, 30])
def test_search_page_costs_a_fixed_number_of_queries(
    client, world, n_actions, django_assert_num_queries
):
    for i in range(n_actions):
        action = ActionFactory(
            orientation=world.actions["cd"].orientation, number=f"9.{i}", title=f"Logement {i}"
        )
        ActionLeadFactory(action=action, institution=world.cd)
    client.force_login(world.users["reader"])
    # session, user, institution; conventions of the filter; the search; the actions found
    with django_assert_num_queries(3 + 3):
        response = client.get("/recherche/", {"q": "logement"})
    assert response.context["result_count"] == n_actions


# --- per database -------------------------------------------------------------------------


@sqlite_only
def test_sqlite_uses_fts5_without_diacritics():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [search.SQLITE_TABLE])
        (sql,) = cursor.fetchone()
    assert "fts5" in sql and "remove_diacritics 2" in sql


@sqlite_only
def test_sqlite_triggers_dropped_by_a_table_remake_come_back():
    action = ActionFactory(title="Médiation familiale")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER reports_fts_action_update")
        cursor.execute(f"DELETE FROM {search.SQLITE_TABLE}")
    assert search.ensure_index() is True
    assert _found("mediation") == {action.pk}
    assert search.ensure_index() is False
    action.title = "Accès aux droits"
    action.save()
    assert _found("acces") == {action.pk}


@postgresql_only
def test_postgresql_uses_unaccent_and_a_french_configuration():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('copil_fr', 'Précarités énergétiques')::text")
        (vector,) = cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [search.PG_TABLE])
        indexes = " ".join(row[0] for row in cursor.fetchall())
    assert "precar" in vector and "energet" in vector
    assert "gin" in indexes


@postgresql_only
def test_postgresql_stems_french_words():
    action = ActionFactory(title="Accompagner les familles monoparentales")
    assert _found("famille monoparentale") == {action.pk}


def test_every_page_has_a_search_box_in_its_header(client, world):
    client.force_login(world.users["reader"])
    html = client.get("/").content.decode()
    assert 'action="/recherche/" role="search"' in html
    assert '<label for="nav-search-q"' in html


def test_saving_the_status_alone_leaves_the_index_alone():
    action = ActionFactory(title="Médiation familiale")
    if connection.vendor == "sqlite":
        sql = f"UPDATE {search.SQLITE_TABLE} SET title = 'ancien' WHERE rowid = %s"
    else:
        sql = (
            f"UPDATE {search.PG_TABLE} SET title = 'ancien', "
            "document = to_tsvector('copil_fr', 'ancien') WHERE action_id = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [action.pk])
    action.status = "done"
    action.progress = 100
    action.save(update_fields=["status", "progress"])
    assert _found("ancien") == {action.pk}  # not recomputed
    action.title = "Médiation"
    action.save(update_fields=["title"])
    assert _found("ancien") == set() and _found("mediation") == {action.pk}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_table_remakes_work_between_suspend_and_ensure():
    """What `migrate` does (apps.py): without the triggers, Django may remake the plan's
    tables; after it, the triggers come back and the index is rebuilt."""
    action = ActionFactory(title="Médiation familiale")
    title = Action._meta.get_field("title")
    longer = copy.deepcopy(title)
    longer.max_length = title.max_length + 100
    search.suspend_triggers()
    try:
        with connection.schema_editor() as editor:
            editor.alter_field(Action, title, longer)  # a remake: create, copy, drop, rename
            editor.alter_field(Action, longer, title)
    finally:
        assert search.ensure_index() is True
    assert _found("mediation") == {action.pk}
    action.title = "Accès aux droits"
    action.save()
    assert _found("acces") == {action.pk}


# --- bounded cost: candidates capped, pages ---------------------------------------------------


@pytest.fixture
def seven_matches():
    return [ActionFactory(title=f"Logement {i}", number=f"1.{i}") for i in range(7)]


def test_results_come_in_pages_without_overlap(seven_matches):
    pages = [
        search.search(Action.objects.all(), "logement", page=n, page_size=3) for n in (1, 2, 3)
    ]
    assert [len(p.hits) for p in pages] == [3, 3, 1]
    assert all(p.found == 7 and not p.capped and p.pages == 3 for p in pages)
    ids = [hit.action_id for p in pages for hit in p.hits]
    assert sorted(ids) == sorted(a.pk for a in seven_matches)  # each once
    assert (pages[0].has_previous, pages[0].has_next) == (False, True)
    assert (pages[2].has_previous, pages[2].has_next) == (True, False)
    assert (pages[1].first_rank, pages[1].last_rank) == (4, 6)


def test_a_page_past_the_end_gives_the_first_page(seven_matches):
    results = search.search(Action.objects.all(), "logement", page=99, page_size=3)
    assert results.page == 1 and len(results.hits) == 3 and results.found == 7


def test_only_max_candidates_are_ranked_and_counted(monkeypatch, seven_matches):
    monkeypatch.setattr(search, "MAX_CANDIDATES", 5)
    results = search.search(Action.objects.all(), "logement", page_size=2)
    assert results.capped and results.found == 5 and results.pages == 3
    last = search.search(Action.objects.all(), "logement", page=3, page_size=2)
    assert len(last.hits) == 1  # the 6th candidate, fetched to know "more than 5", is not shown
    ids = {
        hit.action_id
        for n in (1, 2, 3)
        for hit in search.search(Action.objects.all(), "logement", page=n, page_size=2).hits
    }
    assert len(ids) == 5


def test_the_bound_holds_for_superusers_too(client, monkeypatch, seven_matches):
    monkeypatch.setattr(search, "MAX_CANDIDATES", 5)
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    client.force_login(UserFactory(superuser=True))
    response = client.get("/recherche/", {"q": "logement", "page": "2"})
    html = response.content.decode()
    assert response.context["results"].capped
    assert "Plus de 5 actions trouvées" in html
    assert "Résultats 3 à 4 (page 2 sur 3)" in html
    assert 'rel="prev" href="?q=logement&amp;page=1"' in html
    assert 'rel="next" href="?q=logement&amp;page=3"' in html
    assert sum(len(g.results) for g in response.context["groups"]) == 2


@pytest.mark.parametrize("page", ["", "0", "-1", "abc", "9" * 20, "2"])
def test_any_page_parameter_is_harmless(client, seven_matches, page):
    client.force_login(UserFactory(superuser=True))
    response = client.get("/recherche/", {"q": "logement", "page": page})
    assert response.status_code == 200
    assert response.context["result_count"] == 7


def test_the_pagination_keeps_the_convention_filter(client, monkeypatch):
    monkeypatch.setattr(search, "PAGE_SIZE", 3)
    first = ActionFactory(title="Logement 0")
    for i in range(1, 4):
        ActionFactory(orientation=first.orientation, number=f"9.{i}", title=f"Logement {i}")
    ActionFactory(title="Logement ailleurs")
    convention = first.plan.convention
    client.force_login(UserFactory(superuser=True))
    response = client.get("/recherche/", {"q": "logement", "convention": convention.pk})
    assert response.context["result_count"] == 4
    assert f"&amp;convention={convention.pk}&amp;page=2" in response.content.decode()


def test_the_convention_filter_offers_a_bounded_list(client, monkeypatch, world):
    from copil.reports import selectors

    monkeypatch.setattr(selectors, "MAX_FILTER_CONVENTIONS", 2)
    client.force_login(world.users["superuser"])
    response = client.get("/recherche/", {"q": "action"})
    assert len(response.context["conventions"]) == 2 and response.context["more_conventions"]
    assert "Seules les 2 premières conventions" in response.content.decode()
    # a convention left out is offered once selected
    from copil.accounts import perms

    visible = list(perms.conventions_for(world.users["superuser"]).order_by("title", "pk"))
    left_out = visible[-1]
    assert len(visible) > 2 and left_out not in response.context["conventions"]
    response = client.get("/recherche/", {"q": "action", "convention": left_out.pk})
    assert left_out in response.context["conventions"]
    assert len(response.context["conventions"]) == 2
