"""Every access rule of copil, in one place: one funnel for lists and objects.

Like NetBox's ``RestrictedQuerySet.restrict(user, action)``: views never filter by hand,
they ask ``conventions_for`` / ``actions_for`` (lists) or ``get_*_or_404`` (one object).
What a user may not see is a 404, never a 403 that would leak its existence.

The rules, in words:

- superusers see and do everything, soft-deleted conventions included;
- everybody else sees only the conventions they are a member of, and never a
  soft-deleted one (``deleted_at`` set);
- on a convention, every role sees everything (plan, actions); readers edit nothing;
- admins manage the convention (members, terms) and, like editors, edit the whole plan;
- lead editors edit only the actions that their own institution leads (an ``ActionLead``
  of their institution); a co-piloted action, led by two institutions, is editable by
  the lead editors of both;
- importing a document into a convention takes an admin or an editor of it; importing a
  new convention takes a staff member;
- a soft-deleted action (``deleted_at`` set) is hidden from everybody, superusers included:
  it is only listed in its convention's bin, where those who edit the plan restore it;
- commenting an action takes any role but reader (a reader sees everything, writes nothing);
- governance (meetings, attendees, agenda, decisions, follow-up tasks) is recorded by
  admins and editors ("govern"); approving minutes, which locks them, takes an admin;
- measurements of an indicator are entered and submitted by those who may edit its
  action (so a lead editor for the actions their institution leads); validating a
  period, or reopening a validated one, takes an admin or an editor ("validate");
- the annual review's narrative is written by admins and editors ("review"); marking
  it reviewed takes the same; validating it, which locks it, takes an admin;
- readers, and every export, see counts below the convention's secrecy threshold
  masked (``sees_unmasked``: only those who enter measurements see raw values, in the
  entry forms).

The small ``can_*`` functions answer for one object and the querysets answer for many;
both read the same tables below, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from copil.accounts.enums import Role
from copil.accounts.models import Membership
from copil.conventions.models import Convention
from copil.plan.models import Action, ActionLead

ConventionPerm = Literal["view", "change", "manage", "import", "govern", "validate", "review"]
ActionPerm = Literal["view", "change"]

#: The roles that grant each permission on a whole convention.
CONVENTION_ROLES: dict[str, frozenset[str]] = {
    "view": frozenset(Role.values),
    "change": frozenset({Role.ADMIN, Role.EDITOR}),  # the plan and all its actions
    "manage": frozenset({Role.ADMIN}),  # members and the convention itself
    "import": frozenset({Role.ADMIN, Role.EDITOR}),
    "govern": frozenset({Role.ADMIN, Role.EDITOR}),  # meetings, decisions, tasks
    "validate": frozenset({Role.ADMIN, Role.EDITOR}),  # validate / reopen measurements
    "review": frozenset({Role.ADMIN, Role.EDITOR}),  # write the annual review, mark reviewed
}
#: Approving minutes and validating an annual review lock them: admins only.
LOCKING_ROLES: frozenset[str] = frozenset({Role.ADMIN})
#: Roles that may edit an action only when their institution leads it.
LEAD_ROLES: frozenset[str] = frozenset({Role.LEAD_EDITOR})


def role_grants(role: str | None, perm: str) -> bool:
    """Whether a membership role grants ``perm`` on its convention; for callers that
    already hold the role (one page, a list of members) and must not query again."""
    return role in _roles(perm)


def is_lead_role(role: str | None) -> bool:
    """A role that edits only the actions its user's institution leads."""
    return role in LEAD_ROLES


def role_edits_action(
    role: str | None, institution_id: int | None, lead_institution_ids: set[int]
) -> bool:
    """can_edit_action's rule for a role already read, given the action's leading
    institutions (the reminders decide this for many members at once)."""
    if role in CONVENTION_ROLES["change"]:
        return True
    return (
        role in LEAD_ROLES
        and institution_id is not None
        and institution_id in (lead_institution_ids)
    )


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _is_superuser(user: Any) -> bool:
    return _is_active(user) and user.is_superuser


def _roles(perm: str) -> frozenset[str]:
    try:
        return CONVENTION_ROLES[perm]
    except KeyError:
        raise ValueError(f"unknown permission {perm!r}") from None


# --- the funnel: lists --------------------------------------------------------------------


def conventions_for(
    user: Any, perm: ConventionPerm = "view", *, queryset: QuerySet[Convention] | None = None
) -> QuerySet[Convention]:
    """The conventions ``user`` may ``perm``; ``queryset`` (default: all) keeps its
    select_related/prefetch_related. One subquery, no extra round trip."""
    roles = _roles(perm)
    queryset = Convention.objects.all() if queryset is None else queryset
    if not _is_active(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    member_of = Membership.objects.filter(user=user, role__in=roles).values("convention_id")
    return queryset.filter(deleted_at__isnull=True, pk__in=member_of)


def actions_for(
    user: Any, perm: ActionPerm = "view", *, queryset: QuerySet[Action] | None = None
) -> QuerySet[Action]:
    """The actions ``user`` may ``perm`` ("view" or "change")."""
    if perm not in ("view", "change"):
        raise ValueError(f"unknown permission {perm!r}")
    queryset = (Action.objects.all() if queryset is None else queryset).filter(
        deleted_at__isnull=True
    )
    if not _is_active(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    alive = Q(plan__convention__deleted_at__isnull=True)
    memberships = Membership.objects.filter(user=user)
    if perm == "view":
        convention_ids = memberships.values("convention_id")
        return queryset.filter(alive, plan__convention_id__in=convention_ids)
    whole_plan = memberships.filter(role__in=CONVENTION_ROLES["change"]).values("convention_id")
    allowed = Q(plan__convention_id__in=whole_plan)
    if user.institution_id is not None:
        led = memberships.filter(role__in=LEAD_ROLES).values("convention_id")
        led_by_own = ActionLead.objects.filter(
            action=OuterRef("pk"), institution_id=user.institution_id
        )
        allowed |= Q(plan__convention_id__in=led) & Q(Exists(led_by_own))
    return queryset.filter(alive & allowed)


# --- the funnel: one object (404 when not allowed) ----------------------------------------


def get_convention_or_404(
    user: Any,
    pk: Any,
    perm: ConventionPerm = "view",
    *,
    queryset: QuerySet[Convention] | None = None,
) -> Convention:
    return get_object_or_404(conventions_for(user, perm, queryset=queryset), pk=pk)


def get_action_or_404(
    user: Any, pk: Any, perm: ActionPerm = "view", *, queryset: QuerySet[Action] | None = None
) -> Action:
    return get_object_or_404(actions_for(user, perm, queryset=queryset), pk=pk)


# --- the rules for one object -------------------------------------------------------------


def role_on(user: Any, convention: Convention) -> str | None:
    """The user's role on ``convention`` (None: not a member). One query."""
    if not _is_active(user):
        return None
    return (
        Membership.objects.filter(user=user, convention=convention)
        .values_list("role", flat=True)
        .first()
    )


def _has(user: Any, convention: Convention, perm: str) -> bool:
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    if convention.deleted_at is not None:
        return False
    return role_on(user, convention) in _roles(perm)


def can_view_convention(user: Any, convention: Convention) -> bool:
    return _has(user, convention, "view")


def can_manage_convention(user: Any, convention: Convention) -> bool:
    """Members, terms and the convention itself: admins only."""
    return _has(user, convention, "manage")


def can_edit_plan(user: Any, convention: Convention) -> bool:
    """Themes, orientations and every action of the plan: admins and editors."""
    return _has(user, convention, "change")


def can_edit_action(user: Any, action: Action) -> bool:
    """Admins and editors: every action; lead editors: the actions their institution leads."""
    if not _is_active(user):
        return False
    if action.deleted_at is not None:
        return False
    if user.is_superuser:
        return True
    convention = action.plan.convention
    if convention.deleted_at is not None:
        return False
    role = role_on(user, convention)
    if role in CONVENTION_ROLES["change"]:
        return True
    if role in LEAD_ROLES and user.institution_id is not None:
        return action.leads.filter(institution_id=user.institution_id).exists()
    return False


@dataclass(frozen=True)
class ActionRights:
    """What one user may do on one action; the action page asks once."""

    edit: bool = False  # the fiche, its parts, notes and attachments (= can_edit_action)
    comment: bool = False  # every member but readers
    edit_plan: bool = False  # delete / restore: admins and editors (= can_edit_plan)


def action_rights(user: Any, action: Action) -> ActionRights:
    """The same rules as can_edit_action / can_edit_plan, in one query at most: reads
    ``action.leads`` (prefetched by the action page) instead of querying them."""
    if not _is_active(user) or action.deleted_at is not None:
        return ActionRights()
    if user.is_superuser:
        return ActionRights(edit=True, comment=True, edit_plan=True)
    convention = action.plan.convention
    if convention.deleted_at is not None:
        return ActionRights()
    role = role_on(user, convention)
    if role in CONVENTION_ROLES["change"]:
        return ActionRights(edit=True, comment=True, edit_plan=True)
    if role in LEAD_ROLES:
        leads = user.institution_id is not None and any(
            lead.institution_id == user.institution_id for lead in action.leads.all()
        )
        return ActionRights(edit=leads, comment=True)
    return ActionRights()


def can_comment_action(user: Any, action: Action) -> bool:
    """Every member but readers; a superuser too."""
    return action_rights(user, action).comment


def can_import(user: Any, convention: Convention | None = None) -> bool:
    """Into an existing convention: its admins and editors; a new convention: staff."""
    if not _is_active(user):
        return False
    if user.is_superuser:
        return True
    if convention is None:
        return bool(user.is_staff)
    return _has(user, convention, "import")


# --- governance, monitoring, reviews ------------------------------------------------------


def can_govern(user: Any, convention: Convention) -> bool:
    """Record meetings, attendees, agenda, decisions and follow-up tasks."""
    return _has(user, convention, "govern")


def can_approve_minutes(user: Any, convention: Convention) -> bool:
    """Approving minutes locks the meeting: admins only."""
    if _is_superuser(user):
        return True
    return _has(user, convention, "view") and role_on(user, convention) in LOCKING_ROLES


def can_validate_measurements(user: Any, convention: Convention) -> bool:
    """Validate a period's measurements, or reopen a validated one."""
    return _has(user, convention, "validate")


def can_enter_measurements(user: Any, action: Action) -> bool:
    """Enter and submit measurements of an action's indicators: whoever edits the action."""
    return can_edit_action(user, action)


def can_write_review(user: Any, convention: Convention) -> bool:
    """Write the annual review's narrative and mark it reviewed."""
    return _has(user, convention, "review")


def can_validate_review(user: Any, convention: Convention) -> bool:
    """Validating the annual review locks it: admins only."""
    if _is_superuser(user):
        return True
    return _has(user, convention, "view") and role_on(user, convention) in LOCKING_ROLES


def sees_unmasked(user: Any, convention: Convention) -> bool:
    """Raw counts below the secrecy threshold: only for those who validate measurements
    (admins, editors), and only in entry forms; every export masks regardless."""
    return can_validate_measurements(user, convention)
