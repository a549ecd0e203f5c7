"""The governance pages as a user sees them: forms refuse bad input in French next to the
field, a stale edit is a conflict, a locked meeting shows no edit button and refuses."""

import datetime as dt
import html as html_lib
import re

import pytest

from copil.audit.models import AuditEntry
from copil.conventions.models import Convention
from copil.governance import services
from copil.governance.forms import MEETING_FORMSETS
from copil.governance.models import BodyMember, Decision, FollowUpTask, Meeting
from copil.governance.selectors import ConventionChoices
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def meeting_data(meeting, **overrides) -> dict:
    """The meeting's fields and every existing row of its parts, unchanged; no new row."""
    data = {
        "version": meeting.version,
        "date": meeting.date.isoformat(),
        "title": meeting.title,
        "location": meeting.location,
        "minutes": meeting.minutes,
    }
    choices = ConventionChoices(meeting.convention, meeting)
    for part, (_title, _row, formset_class) in MEETING_FORMSETS.items():
        formset = formset_class(instance=meeting, prefix=part, choices=choices)
        forms = formset.initial_forms
        data |= {
            f"{part}-TOTAL_FORMS": len(forms),
            f"{part}-INITIAL_FORMS": len(forms),
            f"{part}-MIN_NUM_FORMS": 0,
            f"{part}-MAX_NUM_FORMS": 1000,
        }
        for form in forms:
            for name in form.fields:
                if name == "DELETE":
                    continue
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else value
    return data | overrides


def add_row(data: dict, part: str, **fields) -> dict:
    index = int(data[f"{part}-TOTAL_FORMS"])
    data[f"{part}-TOTAL_FORMS"] = index + 1
    for name, value in fields.items():
        data[f"{part}-{index}-{name}"] = value
    return data


@pytest.fixture
def editor(client, gov):
    client.force_login(gov.users["editor"])
    return client


def test_the_governance_page_shows_bodies_status_meetings_and_open_tasks(client, gov):
    Convention.objects.filter(pk=gov.shared.pk).update(effective_date=dt.date(2019, 7, 1))
    BodyMember.objects.create(
        body=gov.body, role="Président du Conseil Départemental", institution=gov.cd
    )
    services.add_task(
        gov.meeting, title="Envoyer le relevé de décisions", owner=gov.users["lead_cd"]
    )
    client.force_login(gov.users["reader"])
    response = client.get(f"/conventions/{gov.shared.pk}/gouvernance/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Comité de pilotage (Comité de pilotage)" in text
    assert "Président du Conseil Départemental" in text and "Département du Bas-Rhin" in text
    assert "au moins une fois par an" in text
    assert "Dernière réunion 20/11/2020" in text
    assert "en retard" in text  # the last meeting is years ago
    assert "réunion attendue au plus tard le 20/11/2021" in text
    assert "Envoyer le relevé de décisions" in text
    assert "Nouvelle réunion" not in text  # a reader edits nothing


def test_create_a_meeting_then_fill_it(editor, gov):
    url = f"/conventions/{gov.shared.pk}/gouvernance/reunions/nouvelle/"
    assert editor.get(url).status_code == 200
    response = editor.post(url, {"body": gov.body.pk, "date": "12/03/2021", "title": "COPIL 2021"})
    meeting = Meeting.objects.get(title="COPIL 2021")
    assert response.status_code == 302 and response.url == f"/reunions/{meeting.pk}/modifier/"
    assert meeting.date == dt.date(2021, 3, 12) and meeting.convention == gov.shared

    data = meeting_data(meeting, minutes="Le comité a arbitré.")
    add_row(
        data,
        "attendees",
        name="Mme Dupont",
        institution=gov.caf.pk,
        role="Directrice",
        presence="present",
    )
    add_row(data, "agenda_items", title="Bilan 2020", action=gov.actions["cd"].pk, notes="")
    add_row(
        data,
        "decisions",
        kind="arbitration",
        text="Priorité à l'action 1.1",
        actions=[gov.actions["cd"].pk, gov.actions["both"].pk],
        amendment=gov.amendment.pk,
    )
    add_row(
        data,
        "tasks",
        title="Relancer la CAF",
        owner=gov.users["lead_caf"].pk,
        due_date="2021-04-30",
    )
    response = editor.post(f"/reunions/{meeting.pk}/modifier/", data)
    assert response.status_code == 302, text_of(response)
    decision = Decision.objects.get(meeting=meeting)
    assert decision.kind == "arbitration" and decision.amendment == gov.amendment
    assert set(decision.actions.all()) == {gov.actions["cd"], gov.actions["both"]}
    assert meeting.attendees.get().name == "Mme Dupont"
    assert meeting.tasks.get().owner == gov.users["lead_caf"]
    entry = AuditEntry.objects.filter(object_id=str(meeting.pk)).latest("id")
    assert set(entry.changes) == {"attendees", "agenda_items", "decisions", "tasks"}
    text = text_of(editor.get(f"/reunions/{meeting.pk}/"))
    assert "Mme Dupont" in text and "Priorité à l'action 1.1" in text and "Relancer la CAF" in text


def test_the_create_form_says_what_is_wrong_in_french(editor, gov):
    url = f"/conventions/{gov.shared.pk}/gouvernance/reunions/nouvelle/"
    response = editor.post(url, {"body": gov.other_body.pk, "date": "31/02/2021"})
    assert response.status_code == 400
    text = text_of(response)
    assert "Choisissez une instance de cette convention." in text
    assert "Saisissez une date valide, par exemple 31/12/2025." in text
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and 'id="id_date_error"' in html
    response = editor.post(url, {"body": gov.body.pk, "date": ""})
    assert "La date de la réunion est obligatoire." in text_of(response)


def test_an_action_of_another_convention_is_refused_next_to_the_field(editor, gov):
    data = meeting_data(gov.meeting)
    add_row(
        data, "decisions", kind="decision", text="Hors sujet", actions=[gov.actions["other"].pk]
    )
    add_row(data, "agenda_items", title="Point", action=gov.actions["other"].pk)
    add_row(
        data, "tasks", title="Trop tôt", due_date="2020-01-01", owner=gov.users["non_member"].pk
    )
    response = editor.post(f"/reunions/{gov.meeting.pk}/modifier/", data)
    assert response.status_code == 400
    text = text_of(response)
    assert "Choisissez des actions de cette convention." in text
    assert "Choisissez une action de cette convention." in text
    assert "Choisissez un membre de cette convention." in text
    assert "Rien n'a été enregistré" in text
    assert not Decision.objects.filter(meeting=gov.meeting).exists()
    data = meeting_data(gov.meeting)
    add_row(data, "tasks", title="Trop tôt", due_date="2020-01-01")
    text = text_of(editor.post(f"/reunions/{gov.meeting.pk}/modifier/", data))
    assert "L'échéance (01/01/2020) précède la réunion (20/11/2020)." in text
    assert not FollowUpTask.objects.exists()


def test_a_stale_edit_is_a_conflict_and_keeps_what_was_typed(editor, gov):
    data = meeting_data(gov.meeting, title="Ma version")
    services.update_meeting(gov.meeting, expected_version=1, title="Leur version")
    response = editor.post(f"/reunions/{gov.meeting.pk}/modifier/", data)
    assert response.status_code == 409
    text = text_of(response)
    assert "Quelqu'un a modifié cette réunion pendant que vous l'éditiez" in text
    assert "Leur version" in text and "Ma version" in text
    assert Meeting.objects.get(pk=gov.meeting.pk).title == "Leur version"
    # Saved again, once checked: theirs is replaced.
    data["version"] = 2
    assert editor.post(f"/reunions/{gov.meeting.pk}/modifier/", data).status_code == 302
    assert Meeting.objects.get(pk=gov.meeting.pk).title == "Ma version"


def test_approved_minutes_lock_the_meeting_pages(client, gov):
    client.force_login(gov.users["admin"])
    response = client.post(f"/reunions/{gov.meeting.pk}/approuver/")
    assert response.status_code == 302
    meeting = Meeting.objects.get(pk=gov.meeting.pk)
    assert meeting.is_locked and meeting.approved_by == gov.users["admin"]
    detail = client.get(f"/reunions/{meeting.pk}/")
    html = detail.content.decode()
    assert f"/reunions/{meeting.pk}/modifier/" not in html
    assert f"/reunions/{meeting.pk}/approuver/" not in html
    assert "Le compte rendu est approuvé" in text_of(detail)
    response = client.get(f"/reunions/{meeting.pk}/modifier/", follow=True)
    assert response.redirect_chain == [(f"/reunions/{meeting.pk}/", 302)]
    assert "verrouillée" in text_of(response)
    data = meeting_data(meeting, minutes="Réécrit")
    client.post(f"/reunions/{meeting.pk}/modifier/", data)
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Compte rendu du comité."


def test_approving_empty_minutes_says_why(client, gov):
    meeting = MeetingFactory(body=gov.body, date=dt.date(2021, 1, 5))
    client.force_login(gov.users["admin"])
    response = client.post(f"/reunions/{meeting.pk}/approuver/", follow=True)
    assert "Le compte rendu est vide" in text_of(response)
    assert not Meeting.objects.get(pk=meeting.pk).is_locked


def test_body_edit_changes_fields_and_seats(editor, gov):
    BodyMember.objects.create(body=gov.body, role="Président", institution=gov.cd)
    url = f"/instances/{gov.body.pk}/modifier/"
    assert "Règle retenue par copil : annuelle" in text_of(editor.get(url))
    member = gov.body.members.get()
    data = {
        "kind": "steering",
        "name": "Comité de pilotage politique",
        "frequency": "trimestrielle",
        "composition": "",
        "members-TOTAL_FORMS": 2,
        "members-INITIAL_FORMS": 1,
        "members-MIN_NUM_FORMS": 0,
        "members-MAX_NUM_FORMS": 1000,
        "members-0-id": member.pk,
        "members-0-body": gov.body.pk,
        "members-0-role": "Président du Conseil Départemental",
        "members-0-institution": gov.cd.pk,
        "members-0-name": "",
        "members-1-role": "Directeur de la CAF",
        "members-1-institution": gov.caf.pk,
        "members-1-name": "M. Martin",
    }
    response = editor.post(url, data)
    assert response.status_code == 302, text_of(response)
    gov.body.refresh_from_db()
    assert gov.body.frequency == "trimestrielle"
    assert [(m.role, m.institution, m.name) for m in gov.body.members.all()] == [
        ("Président du Conseil Départemental", gov.cd, ""),
        ("Directeur de la CAF", gov.caf, "M. Martin"),
    ]
    entry = AuditEntry.objects.filter(object_id=str(gov.body.pk)).latest("id")
    assert {"frequency", "name", "members"} <= set(entry.changes)
    response = editor.post(url, data | {"name": "", "members-1-role": ""})
    assert response.status_code == 400
    text = text_of(response)
    assert "Le nom de l'instance est obligatoire." in text


def test_create_a_body_reads_its_seats(editor, gov):
    url = f"/conventions/{gov.shared.pk}/gouvernance/instances/nouvelle/"
    response = editor.post(
        url,
        {
            "kind": "technical",
            "name": "Comité technique",
            "frequency": "trimestrielle",
            "composition": (
                "Il est composé du Directeur de la CAF et du Directeur Général des Services "
                "du Département"
            ),
        },
    )
    assert response.status_code == 302
    body = gov.shared.governance_bodies.get(name="Comité technique")
    assert [m.institution for m in body.members.all()] == [gov.caf, gov.cd]


def test_mark_a_task_done_even_after_approval(editor, gov):
    task = services.add_task(
        gov.meeting, title="Diffuser le compte rendu", due_date=dt.date(2020, 12, 1)
    )
    services.approve_minutes(gov.meeting, by=gov.users["admin"])
    response = editor.post(f"/taches/{task.pk}/faite/", {"done_on": "2020-11-30"})
    assert response.status_code == 302
    assert FollowUpTask.objects.get(pk=task.pk).done_on == dt.date(2020, 11, 30)
    response = editor.post(f"/taches/{task.pk}/faite/", {"done_on": "pas une date"}, follow=True)
    assert "Saisissez une date valide" in text_of(response)


def test_the_action_page_lists_the_decisions_about_it(client, gov):
    services.add_decision(
        gov.meeting, kind="arbitration", text="Renforcer l'action 1.1", actions=[gov.actions["cd"]]
    )
    client.force_login(gov.users["reader"])
    response = client.get(f"/actions/{gov.actions['cd'].pk}/")
    text = text_of(response)
    assert "Décisions" in text and "Renforcer l'action 1.1" in text and "Arbitrage" in text
    assert (
        "20/11/2020" in text and f'href="/reunions/{gov.meeting.pk}/"' in response.content.decode()
    )
    other = text_of(client.get(f"/actions/{gov.actions['caf'].pk}/"))
    assert "Aucune décision d'instance ne concerne cette action." in other


def test_the_dashboard_counts_from_the_last_meeting(client, gov, monkeypatch):
    from copil.conventions import selectors as convention_selectors

    monkeypatch.setattr(convention_selectors, "today", lambda: dt.date(2021, 6, 1))
    Convention.objects.filter(pk=gov.shared.pk).update(effective_date=dt.date(2019, 7, 1))
    client.force_login(gov.users["reader"])
    url = f"/conventions/{gov.shared.pk}/tableau-de-bord/"
    assert client.get(url).context["board"].governance_alerts == ()  # met on 20/11/2020
    Meeting.objects.filter(pk=gov.meeting.pk).update(date=dt.date(2020, 5, 1))
    alerts = client.get(url).context["board"].governance_alerts
    assert [(a.body, a.last_meeting, a.due_on) for a in alerts] == [
        (gov.body, dt.date(2020, 5, 1), dt.date(2021, 5, 1))
    ]


def test_the_convention_page_links_to_its_governance(client, gov):
    client.force_login(gov.users["reader"])
    html = client.get(f"/conventions/{gov.shared.pk}/").content.decode()
    assert f'href="/conventions/{gov.shared.pk}/gouvernance/"' in html
