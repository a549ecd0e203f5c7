"""Writing governance: bodies and their seats, meetings with their attendees, agenda,
decisions and follow-up tasks, the approval of minutes (which locks the meeting).

Every function is one transaction and writes its own audit entry. Nothing here asks who
the user is: views ask copil.accounts.perms first. What is refused is refused with a
French ValidationError, shown as-is: a locked meeting (MeetingLockedError), a stale edit
(StaleMeetingError), an action, amendment or owner from another convention, a date that
makes no sense.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from copil.accounts.models import Membership
from copil.audit import concurrency
from copil.audit.display import row_text
from copil.audit.models import AuditAction
from copil.audit.services import diff, record, snapshot
from copil.conventions.models import Amendment, Convention
from copil.core.governance import CAF, DEPARTEMENT, institution_hint, parse_composition
from copil.governance.enums import MinutesStatus
from copil.governance.models import (
    AgendaItem,
    Attendee,
    BodyMember,
    Decision,
    FollowUpTask,
    GovernanceBody,
    Meeting,
)
from copil.institutions.enums import InstitutionKind
from copil.institutions.models import Institution
from copil.plan.models import Action

BODY_FIELDS = ("kind", "name", "frequency", "composition")
MEETING_FIELDS = ("date", "title", "location", "minutes")

LOCKED = (
    "Le compte rendu de cette réunion est approuvé : la réunion est verrouillée et ne peut "
    "plus être modifiée."
)
DELETED_CONVENTION = "Cette convention a été supprimée."


class MeetingLockedError(ValidationError):
    """The meeting's minutes are approved: the meeting and what hangs from it are locked."""

    def __init__(self, message: str = LOCKED) -> None:
        super().__init__(message)


class StaleMeetingError(concurrency.StaleVersionError):
    """Someone saved the meeting after the caller loaded it; nothing was written."""

    template = (
        "Cette réunion a été modifiée par quelqu'un d'autre entre-temps "
        "(version {version}). Rien n'a été enregistré."
    )


# --- checks shared by the services (the forms run the same ones, next to the fields) ---


def check_action(action: Action | None, convention_id: int, field: str = "action") -> None:
    if action is None:
        return
    plan_convention = Action.objects.filter(pk=action.pk).values_list(
        "plan__convention_id", flat=True
    )
    if action.deleted_at is not None or list(plan_convention) != [convention_id]:
        raise ValidationError(
            {field: f"L'action {action.number} n'appartient pas à cette convention."}
        )


def check_actions(actions: Iterable[Action], convention_id: int) -> None:
    actions = list(actions)
    if not actions:
        return
    ids = {a.pk for a in actions}
    ok = set(
        Action.objects.filter(
            pk__in=ids, plan__convention_id=convention_id, deleted_at__isnull=True
        ).values_list("pk", flat=True)
    )
    foreign = sorted(a.number for a in actions if a.pk not in ok)
    if foreign:
        raise ValidationError(
            {
                "actions": "Ces actions n'appartiennent pas à cette convention : "
                + ", ".join(foreign)
                + "."
            }
        )


def check_amendment(amendment: Amendment | None, convention_id: int) -> None:
    if amendment is not None and amendment.convention_id != convention_id:
        raise ValidationError({"amendment": "Cet avenant n'appartient pas à cette convention."})


def check_owner(owner: Any, convention_id: int) -> None:
    if owner is None:
        return
    if not Membership.objects.filter(user=owner, convention_id=convention_id).exists():
        raise ValidationError(
            {"owner": "Le responsable doit être membre de cette convention dans copil."}
        )


def check_task_dates(
    meeting_date: dt.date, due_date: dt.date | None, done_on: dt.date | None
) -> None:
    errors = {}
    if due_date is not None and due_date < meeting_date:
        errors["due_date"] = (
            f"L'échéance ({due_date:%d/%m/%Y}) précède la réunion ({meeting_date:%d/%m/%Y})."
        )
    if done_on is not None and done_on < meeting_date:
        errors["done_on"] = (
            f"La tâche ne peut pas avoir été faite ({done_on:%d/%m/%Y}) avant la réunion "
            f"({meeting_date:%d/%m/%Y})."
        )
    elif done_on is not None and done_on > timezone.localdate():
        errors["done_on"] = "La date de réalisation ne peut pas être dans le futur."
    if errors:
        raise ValidationError(errors)


def _alive(convention: Convention) -> None:
    if convention.deleted_at is not None:
        raise ValidationError(DELETED_CONVENTION)


# --- bodies --------------------------------------------------------------------------


def _member_rows(body: GovernanceBody) -> list[str]:
    return [str(m) for m in BodyMember.objects.filter(body=body).select_related("institution")]


def seats_to_members(
    body: GovernanceBody, seats_text: str, institutions: dict[str, Institution | None]
) -> list[BodyMember]:
    """Unsaved BodyMember rows for the seats of ``seats_text`` (parse_composition);
    ``institutions`` maps an institution hint ("Département", "CAF") to the party."""
    return [
        BodyMember(
            body=body,
            role=seat.role[:300],
            institution=institutions.get(seat.institution) if seat.institution else None,
            position=i,
        )
        for i, seat in enumerate(parse_composition(seats_text))
    ]


def _save_rows(formset: Any, parent_field: str, parent: models.Model, check=None) -> None:
    """Save an inline formset's rows under ``parent`` (deleted rows first; new rows at the
    end), running ``check(obj, cleaned_data)`` before each save."""
    model = formset.model
    position = (
        model.objects.filter(**{parent_field: parent}).aggregate(top=models.Max("position"))["top"]
        or 0
    )
    for form in formset.forms:
        if not hasattr(form, "cleaned_data"):
            continue
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk is not None:
                form.instance.delete()
            continue
        if not form.has_changed():
            continue
        obj = form.save(commit=False)
        setattr(obj, parent_field, parent)
        if obj.pk is None:
            position += 1
            obj.position = position
        if check is not None:
            check(obj, form.cleaned_data)
        obj.full_clean(exclude=[parent_field])
        obj.save()
        if "actions" in form.cleaned_data:
            obj.actions.set(form.cleaned_data["actions"])


def _lock_body(body: GovernanceBody) -> GovernanceBody:
    return GovernanceBody.objects.select_for_update().select_related("convention").get(pk=body.pk)


@transaction.atomic
def create_body(
    convention: Convention,
    *,
    kind: str,
    name: str,
    frequency: str = "",
    composition: str = "",
    members: Any = None,
) -> GovernanceBody:
    """A new body; with no ``members`` formset, its seats are read from ``composition``."""
    _alive(convention)
    top = convention.governance_bodies.aggregate(top=models.Max("position"))["top"]
    body = GovernanceBody(
        convention=convention,
        kind=kind,
        name=name,
        frequency=frequency,
        composition=composition,
        position=0 if top is None else top + 1,
    )
    body.full_clean()
    body.save()
    if members is not None and members.has_changed():
        _save_rows(members, "body", body)
    elif composition:
        BodyMember.objects.bulk_create(
            seats_to_members(body, composition, party_institutions(convention))
        )
    record(
        body,
        AuditAction.CREATE,
        {**snapshot(body, [*BODY_FIELDS, "convention_id"]), "members": _member_rows(body)},
        convention_id=convention.pk,
    )
    return body


def party_institutions(convention: Convention) -> dict[str, Institution | None]:
    """The convention's parties by institution hint: {"Département": ..., "CAF": ...}."""
    kinds = {InstitutionKind.DEPARTEMENT: DEPARTEMENT, InstitutionKind.CAF: CAF}
    found: dict[str, Institution | None] = {}
    for party in convention.parties.select_related("institution"):
        inst = party.institution
        hint = kinds.get(inst.kind) or institution_hint(f"{inst.name} {party.name_as_written}")
        if hint and hint not in found:
            found[hint] = inst
    return found


@transaction.atomic
def update_body(body: GovernanceBody, *, members: Any = None, **fields: Any) -> GovernanceBody:
    """Change a body's fields (BODY_FIELDS) and, with a ``members`` inline formset, its
    seats. One audit entry listing what changed, seats as rows before -> after."""
    unknown = set(fields) - set(BODY_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = _lock_body(body)
    _alive(current.convention)
    before = snapshot(current, list(BODY_FIELDS))
    members_before = _member_rows(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    changes = diff(before, snapshot(current, list(BODY_FIELDS)))
    if changes:
        current.save(update_fields=list(fields))
    if members is not None and members.has_changed():
        _save_rows(members, "body", current)
        members_after = _member_rows(current)
        if members_after != members_before:
            changes["members"] = [members_before, members_after]
    if changes:
        record(current, AuditAction.UPDATE, changes, convention_id=current.convention_id)
    return current


# --- meetings --------------------------------------------------------------------------


def _lock_meeting(meeting: Meeting) -> Meeting:
    current = (
        Meeting.objects.select_for_update().select_related("convention", "body").get(pk=meeting.pk)
    )
    _alive(current.convention)
    return current


def _writable(meeting: Meeting) -> Meeting:
    current = _lock_meeting(meeting)
    if current.is_locked:
        raise MeetingLockedError()
    return current


@transaction.atomic
def create_meeting(
    body: GovernanceBody,
    *,
    date: dt.date,
    title: str = "",
    location: str = "",
    minutes: str = "",
) -> Meeting:
    """A meeting of ``body`` (its minutes start as a draft)."""
    body = _lock_body(body)
    _alive(body.convention)
    meeting = Meeting(
        body=body,
        convention_id=body.convention_id,
        date=date,
        title=title,
        location=location,
        minutes=minutes,
    )
    meeting.full_clean()
    meeting.save()
    record(
        meeting,
        AuditAction.CREATE,
        snapshot(meeting, ["body_id", *MEETING_FIELDS, "minutes_status"]),
        convention_id=meeting.convention_id,
    )
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, expected_version: int | None = None, **fields: Any) -> Meeting:
    """Change a meeting's fields (MEETING_FIELDS). With ``expected_version``, refuses
    (StaleMeetingError, carrying what differs) when someone saved a newer version; a
    locked meeting refuses everything (MeetingLockedError)."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = _writable(meeting)
    if expected_version is not None and current.version != expected_version:
        raise StaleMeetingError(current, concurrency.conflicts(current, expected_version, fields))
    tracked = [*MEETING_FIELDS, "version"]
    before = snapshot(current, tracked)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    if "date" in fields:
        _check_children_dates(current)
    if not diff(before, snapshot(current, tracked)):
        return current
    current.version += 1
    current.save(update_fields=[*fields, "version", "updated_at"])
    record(
        current,
        AuditAction.UPDATE,
        diff(before, snapshot(current, tracked)),
        convention_id=current.convention_id,
    )
    return current


def _check_children_dates(meeting: Meeting) -> None:
    """A meeting moved after its tasks' due dates would leave them impossible."""
    early = meeting.tasks.filter(due_date__lt=meeting.date).order_by("due_date").first()
    if early is not None:
        raise ValidationError(
            {
                "date": (
                    f"La tâche « {early.title} » est due le {early.due_date:%d/%m/%Y}, "
                    "avant cette date : changez d'abord son échéance."
                )
            }
        )


#: related name -> (model, the fields shown in the history for one row)
MEETING_PARTS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "attendees": (Attendee, ("name", "institution", "role", "presence")),
    "agenda_items": (AgendaItem, ("title", "action", "notes")),
    "decisions": (Decision, ("kind", "text", "amendment")),
    "tasks": (FollowUpTask, ("title", "owner", "owner_label", "due_date", "done_on")),
}


def _row_text(obj: models.Model, names: tuple[str, ...]) -> str:
    text = row_text(obj, names)
    if isinstance(obj, Decision):
        numbers = [a.number for a in obj.actions.all()]
        if numbers:
            text = " — ".join([t for t in (text, "actions " + ", ".join(numbers)) if t])
    return text


def _part_rows(meeting: Meeting, part: str) -> list[str]:
    model, names = MEETING_PARTS[part]
    related = [n for n in names if model._meta.get_field(n).is_relation]
    rows = model.objects.filter(meeting=meeting).select_related(*related)
    if model is Decision:
        rows = rows.prefetch_related("actions")
    return [_row_text(obj, names) for obj in rows]


def _part_check(meeting: Meeting, part: str):
    convention_id = meeting.convention_id

    def check(obj: models.Model, data: dict[str, Any]) -> None:
        if part == "agenda_items":
            check_action(obj.action, convention_id)
        elif part == "decisions":
            check_actions(data.get("actions") or [], convention_id)
            check_amendment(obj.amendment, convention_id)
        elif part == "tasks":
            check_owner(obj.owner, convention_id)
            check_task_dates(meeting.date, obj.due_date, obj.done_on)
            if obj.decision is not None and obj.decision.meeting_id != meeting.pk:
                raise ValidationError(
                    {"decision": "Cette décision n'a pas été prise lors de cette réunion."}
                )

    return check


@transaction.atomic
def save_meeting_parts(meeting: Meeting, formsets: dict[str, Any]) -> list[str]:
    """Save inline formsets over the parts of ``meeting`` (MEETING_PARTS, keyed by related
    name) in one transaction: one audit entry on the meeting listing, per part that
    changed, its rows before -> after. Returns the parts that changed."""
    unknown = set(formsets) - set(MEETING_PARTS)
    if unknown:
        raise ValueError(f"unknown parts: {sorted(unknown)}")
    current = _writable(meeting)
    changed: dict[str, list[list[str]]] = {}
    for part, formset in formsets.items():
        if not formset.has_changed():
            continue
        before = _part_rows(current, part)
        _save_rows(formset, "meeting", current, _part_check(current, part))
        after = _part_rows(current, part)
        if before != after:
            changed[part] = [before, after]
    if changed:
        record(
            current,
            AuditAction.UPDATE,
            changed,
            convention_id=current.convention_id,
            message="participants, ordre du jour, décisions et tâches",
        )
    return list(changed)


@transaction.atomic
def save_meeting(
    meeting: Meeting,
    expected_version: int | None,
    fields: dict[str, Any],
    formsets: dict[str, Any],
) -> Meeting:
    """The meeting edit page in one transaction: its fields, then its parts."""
    current = update_meeting(meeting, expected_version, **fields)
    save_meeting_parts(current, formsets)
    return current


# --- the same, one row at a time (the CLI, other services, tests) --------------------


@transaction.atomic
def add_attendee(
    meeting: Meeting,
    *,
    name: str,
    institution: Institution | None = None,
    role: str = "",
    presence: str = "present",
) -> Attendee:
    current = _writable(meeting)
    top = current.attendees.aggregate(top=models.Max("position"))["top"] or 0
    attendee = Attendee(
        meeting=current,
        name=name,
        institution=institution,
        role=role,
        presence=presence,
        position=top + 1,
    )
    attendee.full_clean()
    attendee.save()
    _record_added(current, "attendees", attendee)
    return attendee


@transaction.atomic
def add_agenda_item(
    meeting: Meeting, *, title: str, action: Action | None = None, notes: str = ""
) -> AgendaItem:
    current = _writable(meeting)
    check_action(action, current.convention_id)
    top = current.agenda_items.aggregate(top=models.Max("position"))["top"] or 0
    item = AgendaItem(meeting=current, title=title, action=action, notes=notes, position=top + 1)
    item.full_clean()
    item.save()
    _record_added(current, "agenda_items", item)
    return item


@transaction.atomic
def add_decision(
    meeting: Meeting,
    *,
    text: str,
    kind: str = "decision",
    actions: Iterable[Action] = (),
    amendment: Amendment | None = None,
) -> Decision:
    """A decision, arbitration or information, about actions and/or an amendment of the
    meeting's own convention."""
    current = _writable(meeting)
    actions = list(actions)
    check_actions(actions, current.convention_id)
    check_amendment(amendment, current.convention_id)
    top = current.decisions.aggregate(top=models.Max("position"))["top"] or 0
    decision = Decision(
        meeting=current, kind=kind, text=text, amendment=amendment, position=top + 1
    )
    decision.full_clean()
    decision.save()
    decision.actions.set(actions)
    _record_added(current, "decisions", decision)
    return decision


@transaction.atomic
def add_task(
    meeting: Meeting,
    *,
    title: str,
    owner: Any = None,
    owner_label: str = "",
    due_date: dt.date | None = None,
    decision: Decision | None = None,
) -> FollowUpTask:
    current = _writable(meeting)
    check_owner(owner, current.convention_id)
    check_task_dates(current.date, due_date, None)
    if decision is not None and decision.meeting_id != current.pk:
        raise ValidationError(
            {"decision": "Cette décision n'a pas été prise lors de cette réunion."}
        )
    top = current.tasks.aggregate(top=models.Max("position"))["top"] or 0
    task = FollowUpTask(
        meeting=current,
        title=title,
        owner=owner,
        owner_label=owner_label,
        due_date=due_date,
        decision=decision,
        position=top + 1,
    )
    task.full_clean()
    task.save()
    _record_added(current, "tasks", task)
    return task


def _record_added(meeting: Meeting, part: str, obj: models.Model) -> None:
    text = _row_text(obj, MEETING_PARTS[part][1])
    record(meeting, AuditAction.UPDATE, {part: [None, text]}, convention_id=meeting.convention_id)


# --- approval and follow-up ---------------------------------------------------------


@transaction.atomic
def approve_minutes(meeting: Meeting, *, by: Any) -> Meeting:
    """Draft -> approved: records who and when; from then on the meeting is locked."""
    current = _writable(meeting)
    if current.date > timezone.localdate():
        raise ValidationError(
            "Cette réunion n'a pas encore eu lieu : son compte rendu ne peut pas être approuvé."
        )
    if not current.minutes.strip():
        raise ValidationError("Le compte rendu est vide : rédigez-le avant de l'approuver.")
    tracked = ["minutes_status", "approved_at", "approved_by_id", "version"]
    before = snapshot(current, tracked)
    current.minutes_status = MinutesStatus.APPROVED
    current.approved_at = timezone.now()
    current.approved_by = by
    current.version += 1
    current.save(update_fields=[*tracked[:2], "approved_by", "version", "updated_at"])
    record(
        current,
        AuditAction.UPDATE,
        diff(before, snapshot(current, tracked)),
        convention_id=current.convention_id,
        message="approbation du compte rendu",
    )
    return current


@transaction.atomic
def complete_task(task: FollowUpTask, done_on: dt.date) -> FollowUpTask:
    """Mark a follow-up task done. The one change allowed once the minutes are approved:
    tasks are done after the meeting, often after its minutes were approved."""
    current = FollowUpTask.objects.select_for_update().get(pk=task.pk)
    meeting = _lock_meeting(current.meeting)
    if done_on is None:
        raise ValidationError({"done_on": "La date de réalisation est obligatoire."})
    check_task_dates(meeting.date, None, done_on)
    before = snapshot(current, ["done_on"])
    current.done_on = done_on
    current.save(update_fields=["done_on"])
    changes = diff(before, snapshot(current, ["done_on"]))
    if changes:
        record(
            meeting,
            AuditAction.UPDATE,
            {"tasks": [current.title, f"faite le {done_on:%d/%m/%Y}"]},
            convention_id=meeting.convention_id,
            message="tâche de suivi faite",
        )
    return current
