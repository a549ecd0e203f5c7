"""Read-side queries: a fixed number of queries whatever the number of conventions.

Selectors never decide who sees what: callers pass querysets that already went through
the permission funnel (copil.accounts.perms); with none, they read every live convention
(the CLI's view).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from copil.conventions.enums import LifecycleStatus, NoticeForm
from copil.conventions.models import Convention, Party
from copil.core.durations import format_months
from copil.core.lifecycle import Deadline, LifecycleState, notice_deadline_for, periods


@dataclass(frozen=True)
class ConventionRow:
    convention: Convention
    state: LifecycleState | None

    @property
    def status_label(self) -> str:
        return LifecycleStatus(self.state.status).label if self.state else ""

    @property
    def next_deadline(self) -> Deadline | None:
        return (
            self.state.upcoming_deadlines[0]
            if self.state and self.state.upcoming_deadlines
            else None
        )


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Paris")).date()


def convention_rows(
    on: dt.date | None = None, *, conventions: QuerySet[Convention] | None = None
) -> list[ConventionRow]:
    """One row per convention of ``conventions`` (default: every live one). 3 queries."""
    on = on or today()
    base = Convention.objects.alive() if conventions is None else conventions
    queryset = (
        base.select_related("termination")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.select_related("institution")))
        .order_by("-effective_date", "title")
    )
    return [ConventionRow(c, c.lifecycle(on)) for c in queryset]


# --- one convention --------------------------------------------------------------------


def convention_detail_queryset() -> QuerySet[Convention]:
    """Everything the convention page shows about the convention itself, in 5 queries."""
    return Convention.objects.select_related(
        "termination__party__institution", "territory", "plan"
    ).prefetch_related(
        Prefetch(
            "parties",
            queryset=Party.objects.select_related("institution").prefetch_related("signatories"),
        ),
        "amendments",
        "deliberations",
    )


@dataclass(frozen=True)
class TimelinePeriod:
    index: int
    start: dt.date
    end: dt.date
    notice_deadline: dt.date | None
    is_current: bool
    is_next: bool

    @property
    def label(self) -> str:
        if self.index == 0:
            return _("Période initiale")
        return _("Reconduction n° %(number)d") % {"number": self.index}


@dataclass(frozen=True)
class ConventionPage:
    convention: Convention
    state: LifecycleState | None
    terms: list[str]
    timeline: list[TimelinePeriod]
    parent: Convention | None
    specific_conventions: list[Convention]
    predecessor: Convention | None
    successor: Convention | None

    @property
    def status_label(self) -> str:
        return LifecycleStatus(self.state.status).label if self.state else ""

    @property
    def termination(self):  # the Termination, or None (select_related: no query)
        return getattr(self.convention, "termination", None)

    @property
    def plan(self):  # the CooperationPlan, or None (select_related: no query)
        return getattr(self.convention, "plan", None)


def _date(value: dt.date) -> str:
    return date_format(value, "j F Y")


def terms_in_words(convention: Convention) -> list[str]:
    """The term rules as sentences ("Conclue pour une durée initiale de 3 ans…")."""
    c = convention
    if c.initial_term_months is None:
        return [_("Durée non renseignée.")]
    if c.effective_date:
        first = _("Conclue pour une durée initiale de %(term)s à compter du %(date)s.") % {
            "term": format_months(c.initial_term_months),
            "date": _date(c.effective_date),
        }
    else:
        first = _("Conclue pour une durée initiale de %(term)s (date d'effet non renseignée).") % {
            "term": format_months(c.initial_term_months)
        }
    sentences = [first]
    if c.tacit_renewal and c.renewal_period_months:
        renewal = _("Reconduite tacitement par périodes de %(period)s") % {
            "period": format_months(c.renewal_period_months)
        }
        if c.max_total_term_months:
            renewal += _(", dans la limite de %(max)s au total") % {
                "max": format_months(c.max_total_term_months)
            }
        sentences.append(renewal + ".")
    else:
        sentences.append(_("Sans tacite reconduction."))
    if c.notice_period_months:
        notice = _("Dénonciation avec un préavis de %(notice)s") % {
            "notice": format_months(c.notice_period_months)
        }
    else:
        notice = _("Dénonciation sans préavis")
    if c.notice_form and c.notice_form != NoticeForm.ANY:
        notice += _(", par %(form)s") % {"form": NoticeForm(c.notice_form).label.lower()}
    sentences.append(notice + ".")
    return sentences


def timeline(convention: Convention, on: dt.date) -> list[TimelinePeriod]:
    """The periods so far and the next one (none after the end of the convention)."""
    if convention.effective_date is None or convention.initial_term_months is None:
        return []
    rules = convention.term_rules()
    state = convention.lifecycle(on)
    ends_on = state.ends_on if state else None
    noticed = hasattr(convention, "termination")
    result = []
    for period in periods(convention.effective_date, rules):
        if ends_on is not None and period.start > ends_on:
            break
        end = min(period.end, ends_on) if ends_on is not None else period.end
        result.append(
            TimelinePeriod(
                index=period.index,
                start=period.start,
                end=end,
                notice_deadline=None if noticed else notice_deadline_for(period, rules),
                is_current=period.start <= on <= end,
                is_next=period.start > on,
            )
        )
        if period.start > on:
            break
    return result


def convention_page(
    convention: Convention, visible: QuerySet[Convention], on: dt.date | None = None
) -> ConventionPage:
    """``convention`` from convention_detail_queryset(); ``visible``: what the reader may see
    (its framework convention, specific conventions, predecessor and successor are listed
    only if visible). 1 query."""
    on = on or today()
    related = list(
        visible.filter(
            Q(parent=convention)
            | Q(predecessor=convention)
            | Q(pk__in=[pk for pk in (convention.parent_id, convention.predecessor_id) if pk])
        )
        .exclude(pk=convention.pk)
        .order_by("-effective_date", "title")
    )
    return ConventionPage(
        convention=convention,
        state=convention.lifecycle(on),
        terms=terms_in_words(convention),
        timeline=timeline(convention, on),
        parent=next((c for c in related if c.pk == convention.parent_id), None),
        specific_conventions=[c for c in related if c.parent_id == convention.pk],
        predecessor=next((c for c in related if c.pk == convention.predecessor_id), None),
        successor=next((c for c in related if c.predecessor_id == convention.pk), None),
    )
