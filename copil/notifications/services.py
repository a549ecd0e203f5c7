"""Reminder digests (``copil remind``), reminder preferences and calendar tokens.

Who is reminded of what (members only, never about a convention they are not a member
of, and never of a kind they turned off):

- notice deadline approaching: every member of the convention;
- a governance body to convene: its admins and editors (they record meetings);
- milestones and indicator values to fill: whoever edits the action — admins, editors,
  and the lead editors of an institution that leads it;
- follow-up tasks: their owner when the owner is a member, else admins and editors.

When (the days and the catch-up after a missed cron run) is copil.core.reminders'.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from copil.accounts import perms
from copil.accounts.models import Membership
from copil.audit.models import AuditAction
from copil.audit.services import record
from copil.conventions.models import Convention
from copil.core import reminders as rules
from copil.core.governance import next_meeting_due, parse_frequency
from copil.core.lifecycle import KIND_NOTICE_DEADLINE
from copil.notifications import selectors
from copil.notifications.enums import ReminderKind
from copil.notifications.models import CalendarToken, ReminderOptOut, SentReminder

#: Section titles of the digest, in the order of copil.core.reminders.KINDS.
SECTION_TITLES = {
    ReminderKind.NOTICE_DEADLINE: "Dates limites de dénonciation",
    ReminderKind.STEERING_DUE: "Instances de gouvernance à réunir",
    ReminderKind.MILESTONE: "Jalons à échéance ou en retard",
    ReminderKind.MEASUREMENT: "Valeurs d'indicateurs à renseigner",
    ReminderKind.TASK: "Tâches de suivi à échéance ou en retard",
}


class ReminderError(Exception):
    """The run could not send anything (French message, one line)."""


def _fr(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def absolute_url(name: str, *args: Any, fallback: tuple[str, tuple[Any, ...]] | None = None):
    """An absolute link for an email (COPIL_BASE_URL + the route); ``fallback`` when the
    page does not exist (yet) in this installation."""
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        if fallback is None:
            raise
        path = reverse(fallback[0], args=fallback[1])
    return settings.COPIL_BASE_URL + path


# --- what is due, for whom ------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    kind: str
    convention: Convention
    title: str
    detail: str
    url: str
    on: dt.date
    late: bool


@dataclass
class Digest:
    """One user's email of the day."""

    user: Any
    on: dt.date
    items: list[DigestItem] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        return [k for k in rules.KINDS if any(i.kind == k for i in self.items)]

    def sections(self) -> list[dict[str, Any]]:
        """By convention, then by kind: what the templates loop over."""
        result: list[dict[str, Any]] = []
        by_convention: dict[int, dict[str, Any]] = {}
        for item in self.items:
            entry = by_convention.get(item.convention.pk)
            if entry is None:
                entry = {
                    "convention": item.convention,
                    "url": absolute_url("convention_detail", item.convention.pk),
                    "kinds": {},
                }
                by_convention[item.convention.pk] = entry
                result.append(entry)
            entry["kinds"].setdefault(item.kind, []).append(item)
        for entry in result:
            entry["kinds"] = [
                {"title": SECTION_TITLES[k], "items": entry["kinds"][k]}
                for k in rules.KINDS
                if k in entry["kinds"]
            ]
        return result

    @property
    def subject(self) -> str:
        n = len(self.items)
        what = "1 rappel" if n == 1 else f"{n} rappels"
        return f"copil — {what} au {_fr(self.on)}"


@dataclass(frozen=True)
class _Candidate:
    """A subject of copil.core.reminders with what the email says about it."""

    subject: rules.Subject
    convention: Convention
    recipients: frozenset[int]  # user ids
    title: str
    detail: Callable[[rules.Reminder], str]
    url: str


def _editors_of_action(members: list[Membership], lead_institutions: set[int]) -> frozenset[int]:
    return frozenset(
        m.user_id
        for m in members
        if perms.role_edits_action(m.role, m.user.institution_id, lead_institutions)
    )


def _candidates(data: selectors.ReminderData) -> Iterable[_Candidate]:
    on = data.on
    for convention in data.conventions.values():
        members = data.members.get(convention.pk, [])
        everyone = frozenset(m.user_id for m in members)
        state = convention.lifecycle(on)
        if state is None:
            continue
        for deadline in state.upcoming_deadlines:
            if deadline.kind != KIND_NOTICE_DEADLINE:
                continue
            yield _Candidate(
                rules.Subject(rules.KIND_NOTICE_DEADLINE, ("notice", convention.pk), deadline.on),
                convention,
                everyone,
                f"Date limite de dénonciation : {_fr(deadline.on)}",
                lambda r, label=deadline.label: f"{r.when} — {label}.",
                absolute_url("convention_detail", convention.pk),
            )
    for body in data.bodies:
        convention = data.conventions[body.convention_id]
        since = convention.effective_date
        rule = parse_frequency(body.frequency)
        if since is None or rule.max_gap_months is None:
            continue
        due = next_meeting_due(rule, body.last_held, since)
        if body.next_planned is not None and body.next_planned <= due:
            continue  # a meeting is already planned in time
        members = data.members.get(convention.pk, [])
        last = f"dernière réunion le {_fr(body.last_held)}" if body.last_held else "aucune réunion"
        yield _Candidate(
            rules.Subject(rules.KIND_STEERING_DUE, ("body", body.pk), due),
            convention,
            frozenset(m.user_id for m in members if perms.role_grants(m.role, "govern")),
            f"{body.name} ({rule.label}) : à réunir au plus tard le {_fr(due)}",
            lambda r, last=last: f"{r.when} — {last}.",
            absolute_url("convention_detail", convention.pk),
        )
    for milestone in data.milestones:
        action = milestone.action
        convention = data.conventions[action.plan.convention_id]
        members = data.members.get(convention.pk, [])
        yield _Candidate(
            rules.Subject(rules.KIND_MILESTONE, ("milestone", milestone.pk), milestone.due_date),
            convention,
            _editors_of_action(members, data.lead_institutions.get(action.pk, set())),
            f"Action {action.number} — {milestone.label}",
            lambda r, due=milestone.due_date: f"échéance le {_fr(due)}, {r.when}.",
            absolute_url("action_detail", action.pk),
        )
    for target in data.targets:
        indicator = target.indicator
        action = indicator.action
        convention = data.conventions[action.plan.convention_id]
        members = data.members.get(convention.pk, [])
        end = rules.measurement_period_end(target.year)
        yield _Candidate(
            rules.Subject(rules.KIND_MEASUREMENT, ("values", indicator.pk, target.year), end),
            convention,
            _editors_of_action(members, data.lead_institutions.get(action.pk, set())),
            f"Action {action.number} — {indicator.label}",
            lambda r, year=target.year: (
                f"aucune valeur saisie pour {year} alors qu'une cible est fixée ({r.when})."
            ),
            absolute_url("action_detail", action.pk),
        )
    for task in data.tasks:
        meeting = task.meeting
        convention = data.conventions[meeting.convention_id]
        members = data.members.get(convention.pk, [])
        member_ids = {m.user_id for m in members}
        recipients = (
            frozenset({task.owner_id})
            if task.owner_id in member_ids
            else frozenset(m.user_id for m in members if perms.role_grants(m.role, "govern"))
        )
        owner = f" ({task.owner_label})" if task.owner_label else ""
        yield _Candidate(
            rules.Subject(rules.KIND_TASK, ("task", task.pk), task.due_date),
            convention,
            recipients,
            f"{task.title}{owner}",
            lambda r, due=task.due_date, m=meeting: (
                f"échéance le {_fr(due)}, {r.when} — décidée en réunion du {_fr(m.date)} "
                f"({m.body.name})."
            ),
            absolute_url(
                "meeting_detail", meeting.pk, fallback=("convention_detail", (convention.pk,))
            ),
        )


def plan_digests(on: dt.date) -> tuple[list[Digest], selectors.ReminderData]:
    """Each member's digest for ``on`` (users with nothing due are left out). The
    window of each user runs from the day after their previous digest (rule 1 of
    copil.core.reminders)."""
    data = selectors.reminder_data(on)
    candidates = list(_candidates(data))
    users = {m.user_id: m.user for members in data.members.values() for m in members}
    due_by_window: dict[rules.Window, set[Any]] = {}
    digests = []
    for user_id in sorted(users, key=lambda pk: users[pk].get_username()):
        window = rules.run_window(on, data.previous_run.get(user_id))
        if window not in due_by_window:
            due_by_window[window] = {
                r.subject: r for r in rules.due_reminders(window, (c.subject for c in candidates))
            }
        due = due_by_window[window]
        off = data.opt_outs.get(user_id, set())
        digest = Digest(users[user_id], on)
        for candidate in candidates:
            reminder = due.get(candidate.subject)
            if (
                reminder is None
                or user_id not in candidate.recipients
                or candidate.subject.kind in off
            ):
                continue
            digest.items.append(
                DigestItem(
                    kind=candidate.subject.kind,
                    convention=candidate.convention,
                    title=candidate.title,
                    detail=candidate.detail(reminder),
                    url=candidate.url,
                    on=candidate.subject.on,
                    late=reminder.state == rules.LATE,
                )
            )
        if digest.items:
            order = {kind: i for i, kind in enumerate(rules.KINDS)}
            digest.items.sort(key=lambda i: (i.convention.title, order[i.kind], i.on))
            digests.append(digest)
    return digests, data


# --- sending ---------------------------------------------------------------------------------


@dataclass
class RunReport:
    on: dt.date
    dry_run: bool = False
    sent: int = 0
    items: int = 0
    already_sent: int = 0
    no_email: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (username, reason)

    def summary(self) -> str:
        """The one line ``copil remind`` prints (cron mails it when it is not empty)."""
        day = _fr(self.on)
        counts = f"{_emails(self.sent)}, {_items(self.items)}"
        if self.dry_run:
            head = f"Rappels du {day} (simulation, rien n'a été envoyé) : à envoyer {counts}"
        elif not self.sent and self.already_sent and not self.failed:
            return (
                f"Rappels du {day} déjà envoyés ({_users(self.already_sent)}) : "
                "rien n'a été envoyé."
            )
        elif not self.sent and not self.failed:
            head = f"Rappels du {day} : rien à envoyer"
        else:
            head = f"Rappels du {day} envoyés : {counts}"
        extra = []
        if self.already_sent:
            extra.append(f"déjà envoyé aujourd'hui à {_users(self.already_sent)}")
        if self.no_email:
            extra.append(f"{_users(self.no_email)} sans adresse électronique")
        if self.failed:
            extra.append(f"{len(self.failed)} en échec")
        return head + (" ; " + ", ".join(extra) if extra else "") + "."


def _emails(n: int) -> str:
    return f"{n} courriel" if n <= 1 else f"{n} courriels"


def _items(n: int) -> str:
    return f"{n} rappel" if n <= 1 else f"{n} rappels"


def _users(n: int) -> str:
    return f"{n} utilisateur" if n <= 1 else f"{n} utilisateurs"


def render_digest(digest: Digest) -> EmailMultiAlternatives:
    context = {
        "digest": digest,
        "user": digest.user,
        "sections": digest.sections(),
        "preferences_url": absolute_url("reminder_preferences"),
    }
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("notifications/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.user.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(
        render_to_string("notifications/email/digest.html", context), "text/html"
    )
    return message


SMTP_ERRORS = (smtplib.SMTPException, OSError)


def send_digests(
    digests: list[Digest],
    on: dt.date,
    *,
    sent_today: set[int] | None = None,
    dry_run: bool = False,
    tick: Callable[[], None] | None = None,
) -> RunReport:
    """Send each digest once per user and day; a failed send records nothing for that
    user (the next run tries again). Raises ReminderError when the SMTP server cannot
    be reached at all."""
    report = RunReport(on=on, dry_run=dry_run)
    sent_today = set(sent_today or ())
    todo = []
    for digest in digests:
        if digest.user.pk in sent_today:
            report.already_sent += 1
        elif not digest.user.email:
            report.no_email += 1
        else:
            todo.append(digest)
    if dry_run:
        report.sent = len(todo)
        report.items = sum(len(d.items) for d in todo)
        return report
    if not todo:
        return report
    connection = get_connection()
    try:
        connection.open()
    except SMTP_ERRORS as exc:
        raise ReminderError(
            f"le serveur de courriel {settings.EMAIL_HOST}:{settings.EMAIL_PORT} "
            f"ne répond pas ({exc}) : aucun rappel n'a été envoyé."
        ) from exc
    try:
        for digest in todo:
            try:
                _send_one(digest, on, connection)
            except IntegrityError:  # another run sent it meanwhile
                report.already_sent += 1
            except SMTP_ERRORS as exc:
                report.failed.append((digest.user.get_username(), str(exc) or type(exc).__name__))
            else:
                report.sent += 1
                report.items += len(digest.items)
            if tick is not None:
                tick()
    finally:
        connection.close()
    return report


@transaction.atomic
def _send_one(digest: Digest, on: dt.date, connection: Any) -> SentReminder:
    """Record, then send: the unique (user, day) row guards against two runs at once,
    and a failed send rolls the row back."""
    sent = SentReminder.objects.create(
        user=digest.user, sent_on=on, kinds=digest.kinds, item_count=len(digest.items)
    )
    record(sent, AuditAction.CREATE, message=f"rappels envoyés à {digest.user.email}"[:500])
    message = render_digest(digest)
    message.connection = connection
    message.send()
    return sent


def remind(on: dt.date, *, dry_run: bool = False) -> tuple[RunReport, list[Digest]]:
    """Plan and send the digests of ``on``: what ``copil remind`` does."""
    digests, data = plan_digests(on)
    report = send_digests(digests, on, sent_today=data.sent_today, dry_run=dry_run)
    return report, digests


# --- preferences ------------------------------------------------------------------------------


@transaction.atomic
def set_reminder_preferences(user: Any, enabled: Iterable[str]) -> set[str]:
    """Keep the kinds in ``enabled``, turn the others off; returns the kinds turned off."""
    enabled = set(enabled)
    unknown = enabled - set(ReminderKind.values)
    if unknown:
        raise ValidationError(f"Type de rappel inconnu : {', '.join(sorted(unknown))}.")
    current = {o.kind: o for o in ReminderOptOut.objects.select_for_update().filter(user=user)}
    wanted_off = set(ReminderKind.values) - enabled
    for kind in wanted_off - current.keys():
        opt_out = ReminderOptOut.objects.create(user=user, kind=kind)
        record(opt_out, AuditAction.CREATE)
    for kind in current.keys() - wanted_off:
        record(current[kind], AuditAction.DELETE)
        current[kind].delete()
    return wanted_off


# --- calendar tokens --------------------------------------------------------------------------


@transaction.atomic
def create_calendar_token(user: Any) -> CalendarToken:
    """The user's calendar secret; the active one if there is already one."""
    existing = CalendarToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    token = existing.first()
    if token is not None:
        return token
    token = CalendarToken.objects.create(user=user)
    record(token, AuditAction.CREATE, {"user": user.pk}, message="adresse de calendrier créée")
    return token


@transaction.atomic
def revoke_calendar_token(user: Any) -> int:
    """Revoke the active token: every URL using it answers 404 from now on."""
    now = timezone.now()
    count = 0
    for token in CalendarToken.objects.select_for_update().filter(
        user=user, revoked_at__isnull=True
    ):
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record(
            token,
            AuditAction.UPDATE,
            {"revoked_at": [None, now.isoformat()]},
            message="adresse de calendrier révoquée",
        )
        count += 1
    return count


@transaction.atomic
def regenerate_calendar_token(user: Any) -> CalendarToken:
    """A new secret; the old URLs stop working."""
    revoke_calendar_token(user)
    return create_calendar_token(user)


def touch_calendar_token(token: CalendarToken) -> None:
    """When a calendar last fetched the feed (not audited: a read, not a change)."""
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
