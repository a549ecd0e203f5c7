"""Lifecycle engine of a partnership convention: periods, renewals, notice and termination.

Pure Python (no Django) so that the legal rules can be tested exhaustively and reused by
the web app, the CLI and the importers. Frozen dataclasses in, frozen dataclasses out.

Legal rules implemented here (the product's contract, do not "simplify"):

1. A period of N months starting on day D ends the day before the same day N months
   later. To avoid drift after month-end clamping, boundaries are computed from the
   effective date: ``boundary_k = add_months(effective, initial + k * renewal)`` and
   period k is ``[boundary_{k-1}, boundary_k - 1 day]`` with ``boundary_{-1} = effective``.
2. Without tacit renewal there is only the initial period.
3. A maximum total term stops renewals: no period starts at or after
   ``add_months(effective, max)``; the last period is clamped to end the day before.
4. The notice deadline of a period is the last day on which notice can still be received:
   ``add_months(next_start, -notice) - 1 day`` (the period end when notice is 0).
5. A termination takes effect at the end of the first period, starting with the one
   containing the notice date (the first period if notice precedes the effective date),
   whose notice deadline is on or after the notice date; failing that, at the end of
   the last period.
   With a termination, the convention ends at the earlier of that end and the normal end.
6. Status on a date: before the effective date ``not_started``; after the end
   ``terminated`` (a termination shortened it) or ``expired``; notice received and not
   yet ended ``notice_given``; otherwise ``in_force``.
7. Upcoming deadlines: notice deadline and end of the current and of the next period,
   dated on or after the given day, in date order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from copil.core.durations import add_months, format_months

NOT_STARTED = "not_started"
IN_FORCE = "in_force"
NOTICE_GIVEN = "notice_given"
TERMINATED = "terminated"
EXPIRED = "expired"

KIND_NOTICE_DEADLINE = "notice_deadline"
KIND_RENEWAL = "renewal"
KIND_END = "end"
_KIND_ORDER = {KIND_NOTICE_DEADLINE: 0, KIND_RENEWAL: 1, KIND_END: 2}

NOTICE_FORMS = ("registered_letter", "letter", "any")
_NOTICE_FORM_LABELS = {"registered_letter": " par lettre recommandée", "letter": " par courrier"}

ONE_DAY = timedelta(days=1)


class LifecycleError(ValueError):
    """Inconsistent term rules (French message, one line)."""


@dataclass(frozen=True)
class TermRules:
    """Duration clauses of a convention, all expressed in months."""

    initial_term_months: int
    renewal_period_months: int | None
    tacit_renewal: bool
    max_total_term_months: int | None
    notice_period_months: int = 0
    notice_form: str | None = None

    def validate(self) -> None:
        """Reject clause combinations the engine cannot interpret unambiguously."""
        initial, renewal = self.initial_term_months, self.renewal_period_months
        if initial <= 0:
            raise LifecycleError(
                f"la durée initiale doit être strictement positive (reçu : {initial} mois)"
            )
        if renewal is not None and renewal < 0:
            raise LifecycleError(
                f"la durée de reconduction ne peut pas être négative (reçu : {renewal} mois)"
            )
        if self.tacit_renewal and not renewal:
            raise LifecycleError("la reconduction tacite exige une durée de reconduction non nulle")
        maximum = self.max_total_term_months
        if maximum is not None and maximum < initial:
            raise LifecycleError(
                f"la durée maximale ({maximum} mois) ne peut pas être inférieure "
                f"à la durée initiale ({initial} mois)"
            )
        if self.notice_period_months < 0:
            raise LifecycleError(
                f"le préavis ne peut pas être négatif (reçu : {self.notice_period_months} mois)"
            )
        if self.notice_form is not None and self.notice_form not in NOTICE_FORMS:
            raise LifecycleError(
                f"forme de préavis inconnue « {self.notice_form} » : "
                "utilisez registered_letter, letter ou any"
            )


@dataclass(frozen=True)
class Period:
    """Period ``index`` (0 = initial period, k = k-th renewal), ``end`` inclusive."""

    index: int
    start: date
    end: date


@dataclass(frozen=True)
class Termination:
    """Notice of termination (dénonciation), dated by its reception."""

    notice_received_on: date


@dataclass(frozen=True)
class Deadline:
    """A dated event worth a reminder: ``kind`` is notice_deadline, renewal or end."""

    on: date
    kind: str
    label: str


@dataclass(frozen=True)
class LifecycleState:
    """Situation of a convention on a given date (see rule 6 in the module docstring)."""

    status: str
    period_start: date | None
    period_end: date | None
    renewal_count: int
    notice_deadline: date | None
    ends_on: date | None
    termination_effective_end: date | None
    upcoming_deadlines: tuple[Deadline, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view: dates as ISO strings (or None)."""
        iso = _iso
        return {
            "status": self.status,
            "period_start": iso(self.period_start),
            "period_end": iso(self.period_end),
            "renewal_count": self.renewal_count,
            "notice_deadline": iso(self.notice_deadline),
            "ends_on": iso(self.ends_on),
            "termination_effective_end": iso(self.termination_effective_end),
            "upcoming_deadlines": [
                {"on": d.on.isoformat(), "kind": d.kind, "label": d.label}
                for d in self.upcoming_deadlines
            ],
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _last_index(rules: TermRules) -> int | None:
    """Index of the last period (rules 2 and 3), None for an open-ended convention."""
    if not rules.tacit_renewal:
        return 0
    if rules.max_total_term_months is None:
        return None
    renewal = rules.renewal_period_months or 0
    # Period k starts at month initial + (k-1)*renewal, which must stay < max.
    return -(-(rules.max_total_term_months - rules.initial_term_months) // renewal)


def _boundary(effective: date, rules: TermRules, k: int) -> date:
    """Start of period k+1 before any max-term clamping (rule 1); effective date for k=-1."""
    if k < 0:
        return effective
    renewal = rules.renewal_period_months or 0
    return add_months(effective, rules.initial_term_months + k * renewal)


def _period(effective: date, rules: TermRules, k: int) -> Period:
    end_exclusive = _boundary(effective, rules, k)
    if rules.tacit_renewal and rules.max_total_term_months is not None:
        end_exclusive = min(end_exclusive, add_months(effective, rules.max_total_term_months))
    return Period(k, _boundary(effective, rules, k - 1), end_exclusive - ONE_DAY)


def _index_on(effective: date, rules: TermRules, on: date) -> int:
    """Index of the period containing ``on`` (>= effective), clamped to the last period.

    Estimated arithmetically then corrected by at most a step or two, so a century-long
    open-ended convention costs the same as a one-year one.
    """
    last = _last_index(rules)
    renewal = rules.renewal_period_months or 0
    months = (on.year - effective.year) * 12 + on.month - effective.month
    k = 0
    if renewal and months >= rules.initial_term_months:
        k = (months - rules.initial_term_months) // renewal + 1
    if last is not None:
        k = min(k, last)
    while k > 0 and on < _boundary(effective, rules, k - 1):
        k -= 1
    while (last is None or k < last) and on >= _boundary(effective, rules, k):
        k += 1
    return k


def periods(effective_date: date, rules: TermRules, until: date | None = None) -> Iterator[Period]:
    """Yield the periods in order, lazily; stop after the last one or before one starting
    after ``until``. Open-ended conventions renew forever, so callers must bound them."""
    rules.validate()
    return _iter_periods(effective_date, rules, until)


def _iter_periods(effective: date, rules: TermRules, until: date | None) -> Iterator[Period]:
    last = _last_index(rules)
    k = 0
    while last is None or k <= last:
        period = _period(effective, rules, k)
        if until is not None and period.start > until:
            return
        yield period
        k += 1


def notice_deadline_for(period: Period, rules: TermRules) -> date | None:
    """Last day on which notice can be received to prevent the renewal after ``period``
    (rule 4); None when no renewal follows it (no tacit renewal or max term reached)."""
    rules.validate()
    last = _last_index(rules)
    if last is not None and period.index >= last:
        return None
    # Not the last period, hence not clamped: the next period starts the day after.
    return add_months(period.end + ONE_DAY, -rules.notice_period_months) - ONE_DAY


def termination_end(effective_date: date, rules: TermRules, termination: Termination) -> date:
    """Last day of a convention terminated by ``termination`` (rule 5).

    Notice meeting the current period's deadline ends the convention at that period's end,
    otherwise at the end of the first later period whose deadline it meets (one period
    later when notice <= renewal period), and never after the normal final end.
    """
    rules.validate()
    received = termination.notice_received_on
    k = 0 if received < effective_date else _index_on(effective_date, rules, received)
    while True:
        period = _period(effective_date, rules, k)
        deadline = notice_deadline_for(period, rules)
        if deadline is None or deadline >= received:
            return period.end
        k += 1


def _fr(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _period_deadlines(
    period: Period, rules: TermRules, ends_on: date | None, ended_by: Termination | None
) -> list[Deadline]:
    """Notice deadline (only while no notice was given) and end of one period (rule 7)."""
    next_start = _fr(period.end + ONE_DAY)
    if ends_on is not None and period.end >= ends_on:
        if ended_by is None:
            return [Deadline(period.end, KIND_END, "Fin de la convention")]
        received = _fr(ended_by.notice_received_on)
        label = f"Fin de la convention (dénonciation reçue le {received})"
        return [Deadline(period.end, KIND_END, label)]
    result = []
    deadline = notice_deadline_for(period, rules)
    if deadline is not None:
        form = _NOTICE_FORM_LABELS.get(rules.notice_form or "", "")
        notice = rules.notice_period_months
        delay = f"préavis de {format_months(notice)}" if notice else "sans préavis"
        label = f"Dernier jour pour recevoir la dénonciation{form} ({delay}) avant la reconduction"
        result.append(Deadline(deadline, KIND_NOTICE_DEADLINE, f"{label} du {next_start}"))
    label = f"Fin de période : reconduction tacite à compter du {next_start}"
    result.append(Deadline(period.end, KIND_RENEWAL, label))
    return result


def compute_state(
    effective_date: date, rules: TermRules, on: date, termination: Termination | None = None
) -> LifecycleState:
    """Situation of the convention on ``on`` (rule 6) with its upcoming deadlines (rule 7).

    Before the effective date the period is the first one; after the end, period and
    notice deadline are None and ``renewal_count`` is the number of renewals that took
    place; once notice is given there is no notice deadline any more (none is listed).
    A termination whose notice is received after ``on`` is ignored: the state describes
    what is known on that date, so replaying history gives the same answers as living it.
    ``ends_on`` is None for an open-ended convention that has not been terminated.
    """
    rules.validate()
    last = _last_index(rules)
    normal_end = None if last is None else _period(effective_date, rules, last).end
    if termination is not None and termination.notice_received_on > on:
        termination = None
    term_end = None if termination is None else termination_end(effective_date, rules, termination)
    by_termination = term_end is not None and (normal_end is None or term_end < normal_end)
    ends_on = term_end if by_termination else normal_end
    ended_by = termination if by_termination else None

    if ends_on is not None and on > ends_on:
        return LifecycleState(
            status=EXPIRED if ended_by is None else TERMINATED,
            period_start=None,
            period_end=None,
            renewal_count=_index_on(effective_date, rules, ends_on),
            notice_deadline=None,
            ends_on=ends_on,
            termination_effective_end=term_end,
            upcoming_deadlines=(),
        )
    if on < effective_date:
        status, index = NOT_STARTED, 0
    else:
        status = IN_FORCE if termination is None else NOTICE_GIVEN
        index = _index_on(effective_date, rules, on)
    period = _period(effective_date, rules, index)
    deadlines = _period_deadlines(period, rules, ends_on, ended_by)
    if ends_on is None or period.end < ends_on:
        following = _period(effective_date, rules, index + 1)
        deadlines += _period_deadlines(following, rules, ends_on, ended_by)
    if termination is not None:  # notice already given: its deadlines no longer matter
        deadlines = [d for d in deadlines if d.kind != KIND_NOTICE_DEADLINE]
    upcoming = sorted(
        (d for d in deadlines if d.on >= on), key=lambda d: (d.on, _KIND_ORDER[d.kind])
    )
    return LifecycleState(
        status=status,
        period_start=period.start,
        period_end=period.end,
        renewal_count=index,
        notice_deadline=None if termination is not None else notice_deadline_for(period, rules),
        ends_on=ends_on,
        termination_effective_end=term_end,
        upcoming_deadlines=tuple(upcoming),
    )
