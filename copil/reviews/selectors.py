"""Reads of the annual review: the whole content of a year in a fixed number of queries.

``review_content`` reads the plan, the measurements, the meetings and decisions, the
notes and the history of the year once each, whatever the size of the plan, and builds
the pure ``copil.core.review.ReviewContent`` that every renderer lays out. Every value
goes through ``copil.core.indicators.reading`` with ``unmasked=False``: the review is a
published document, small counts are always masked.

Selectors never decide who sees what: callers pass a convention that went through
copil.accounts.perms (or the command line, which acts for the system).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from copil.audit.models import AuditAction, AuditEntry
from copil.conventions.models import Convention, Party
from copil.core import review as doc
from copil.core.budget import BudgetFigure, format_eur, format_fte, grand_total
from copil.core.budget import totals_by_institution as budget_totals
from copil.core.indicators import (
    TREND_LABELS,
    VERDICT_LABELS,
    Reading,
    achievement_for,
    format_number,
    reading,
    trend,
    trend_verdict,
)
from copil.governance.enums import MinutesStatus
from copil.governance.models import Decision, Meeting
from copil.monitoring.models import IndicatorTarget, Measurement
from copil.plan.enums import ActionStatus, IndicatorValueType
from copil.plan.models import (
    Action,
    ActionLead,
    BudgetLine,
    FollowUpNote,
    Indicator,
    Milestone,
    Theme,
)
from copil.reviews.models import AnnualReview, ThemeReview

NUMERIC = (IndicatorValueType.NUMBER, IndicatorValueType.PERCENTAGE)
NEW = "nouveau"
NONE = "—"


def fr_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return NONE
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return day.strftime("%d/%m/%Y")


# --- lists and objects ----------------------------------------------------------------------


def review_queryset() -> QuerySet[AnnualReview]:
    """A review with its convention and the meetings that examined and validated it."""
    return AnnualReview.objects.select_related(
        "convention__plan",
        "convention__termination",
        "reviewed_in__body",
        "validated_in__body",
        "reviewed_by",
        "validated_by",
    )


def convention_reviews(convention: Convention) -> list[AnnualReview]:
    return list(
        AnnualReview.objects.filter(convention=convention).defer("content").order_by("-year")
    )


def convention_years(convention: Convention, today: dt.date) -> list[int]:
    """The years a review may cover: from the effective date to the end of the convention
    (or this year, for a convention still running), never beyond this year."""
    if convention.effective_date is None:
        return []
    first = convention.effective_date.year
    last = today.year
    state = convention.lifecycle(today)
    if state is not None and state.ends_on is not None:
        last = min(last, state.ends_on.year)
    return list(range(first, last + 1))


def meetings_for_transition(convention: Convention, kind: str) -> list[Meeting]:
    """The meetings of one kind of body of the convention, newest first (choices of a form)."""
    return list(
        Meeting.objects.filter(convention=convention, body__kind=kind)
        .select_related("body")
        .order_by("-date", "-id")
    )


def theme_reviews(review: AnnualReview) -> dict[int, ThemeReview]:
    """The narrative per theme id (themes without one are absent)."""
    return {t.theme_id: t for t in ThemeReview.objects.filter(review=review)}


def theme_ids(convention: Convention) -> dict[int, int]:
    """{theme number: theme id} of the convention's plan."""
    return dict(Theme.objects.filter(plan__convention=convention).values_list("number", "pk"))


# --- the content of a review ----------------------------------------------------------------


def _anchor(prefix: str, number: object) -> str:
    return f"{prefix}-" + re.sub(r"[^0-9A-Za-z]+", "-", str(number)).strip("-")


def _status_label(value: str) -> str:
    try:
        return ActionStatus(value).label
    except ValueError:
        return value or NONE


def _percent(value: object) -> str:
    return NONE if value is None else f"{value} %"


class _Data:
    """Everything the review reads, one query per kind of row."""

    def __init__(self, convention: Convention, year: int, review: AnnualReview | None) -> None:
        plan_filter = {"plan__convention": convention}
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        self.parties = list(
            Party.objects.filter(convention=convention)
            .select_related("institution")
            .prefetch_related("signatories")
        )  # 2 queries
        self.themes = list(Theme.objects.filter(**plan_filter).order_by("number"))
        self.actions = list(
            Action.objects.alive()
            .filter(**plan_filter)
            .select_related("orientation__theme")
            .order_by("position", "id")
        )
        action_filter = {"action__plan__convention": convention, "action__deleted_at__isnull": True}
        self.leads = _group(
            ActionLead.objects.filter(**action_filter).select_related("institution")
        )
        self.budget = _group(
            BudgetLine.objects.filter(**action_filter)
            .filter(Q(year__isnull=True) | Q(year=year))
            .select_related("institution")
        )
        self.indicators = _group(Indicator.objects.filter(**action_filter))
        self.milestones = _group(Milestone.objects.filter(**action_filter))
        self.notes = _group(
            FollowUpNote.objects.filter(**action_filter, date__range=(start, end))
            .select_related("author")
            .order_by("date", "id")
        )
        indicator_filter = {
            "indicator__action__plan__convention": convention,
            "indicator__action__deleted_at__isnull": True,
        }
        self.measurements: dict[int, list[Measurement]] = defaultdict(list)
        for m in (
            Measurement.objects.filter(**indicator_filter, period_start__lte=end)
            .select_related("territory")
            .order_by("period_start", "-period_end", "territory__name", "id")
        ):
            self.measurements[m.indicator_id].append(m)
        self.targets: dict[tuple[int, int, int | None], IndicatorTarget] = {
            (t.indicator_id, t.year, t.territory_id): t
            for t in IndicatorTarget.objects.filter(**indicator_filter, year__lte=year)
        }
        self.meetings = list(
            Meeting.objects.filter(convention=convention, date__range=(start, end))
            .select_related("body")
            .order_by("date", "id")
        )
        self.decisions = list(
            Decision.objects.filter(meeting__in=[m.pk for m in self.meetings]).order_by(
                "meeting__date", "meeting_id", "position", "id"
            )
        )
        meetings = {m.pk: m for m in self.meetings}
        for decision in self.decisions:
            decision.meeting = meetings[decision.meeting_id]
        self.decision_actions: dict[int, list[int]] = defaultdict(list)  # decision -> actions
        for decision_id, action_id in Decision.actions.through.objects.filter(
            decision__in=[d.pk for d in self.decisions]
        ).values_list("decision_id", "action_id"):
            self.decision_actions[decision_id].append(action_id)
        self.narratives: dict[int, ThemeReview] = theme_reviews(review) if review else {}
        self.previous = _previous_state(convention, year)


def _group(rows: Iterable) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row.action_id].append(row)
    return grouped


def _previous_state(convention: Convention, year: int) -> dict[int, dict[str, object]]:
    """The status and progress of each action at the end of the previous year, rolled back
    from the current values through the history written since: {action id: {field:
    value}} for the fields changed since then, and {"new": True} for actions created
    after. One query."""
    cutoff = dt.datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    state: dict[int, dict[str, object]] = defaultdict(dict)
    entries = (
        AuditEntry.objects.filter(
            convention_id=convention.pk,
            content_type=ContentType.objects.get_for_model(Action),
            at__gte=cutoff,
        )
        .order_by("at", "id")
        .values_list("object_id", "action", "changes")
    )
    for object_id, action, changes in entries:
        if not object_id.isdigit():
            continue
        known = state[int(object_id)]
        if action == AuditAction.CREATE:
            known.setdefault("new", True)
        if not isinstance(changes, dict):
            continue
        for name in ("status", "progress"):
            span = changes.get(name)
            if isinstance(span, list) and len(span) == 2:
                known.setdefault(name, span[0])  # the first change after the cutoff
    return state


def _year_reading(
    indicator: Indicator, measurements: list[Measurement], year: int, threshold: int
) -> tuple[Reading, bool]:
    """The value of a year: the overall yearly measurement; else the latest overall one of
    the year; else, for counts, the sum of the yearly measurements per territory.
    Returns (reading, summed)."""
    of_year = [m for m in measurements if m.period_start.year == year]
    overall = [m for m in of_year if m.territory_id is None]
    chosen = next((m for m in overall if m.period == str(year)), None)
    if chosen is None and overall:
        chosen = max(overall, key=lambda m: (m.period_end, -m.period_start.toordinal()))
    if chosen is not None:
        return _show(indicator, chosen.value, chosen.value_text, threshold), False
    by_territory = [
        m for m in of_year if m.period == str(year) and m.territory_id and m.value is not None
    ]
    if by_territory and indicator.value_type == IndicatorValueType.NUMBER:
        total = sum((m.value for m in by_territory), Decimal(0))
        return _show(indicator, total, "", threshold), True
    return Reading(None, False, NONE), False


def _show(indicator: Indicator, value: Decimal | None, text: str, threshold: int) -> Reading:
    shown = reading(value, text, value_type=indicator.value_type, threshold=threshold)
    if (
        indicator.value_type == IndicatorValueType.PERCENTAGE
        and shown.value is not None
        and not shown.masked
    ):
        return Reading(shown.value, False, f"{shown.text} %")
    return shown


def _indicator(
    indicator: Indicator, anchor: str, data: _Data, year: int, first_year: int, threshold: int
) -> doc.Indicator:
    measurements = data.measurements.get(indicator.pk, [])
    shown, summed = _year_reading(indicator, measurements, year, threshold)
    previous, _ = _year_reading(indicator, measurements, year - 1, threshold)
    target = data.targets.get((indicator.pk, year, None))
    numeric = indicator.value_type in NUMERIC
    if target is None:
        achievement = NONE
    elif shown.masked:
        achievement = "non communiqué (secret statistique)"
    elif shown.value is None or not numeric:
        achievement = "pas encore mesuré" if shown.value is None else NONE
    else:
        percent = achievement_for(
            shown.value, target.value, indicator.baseline, indicator.direction
        )
        achievement = NONE if percent is None else f"{format_number(percent)} %"
    change = NONE
    if numeric and shown.value is not None and previous.value is not None:
        direction = trend([previous.value, shown.value])
        change = TREND_LABELS[direction]
        if direction != "flat":
            change += f", {VERDICT_LABELS[trend_verdict(direction, indicator.direction)]}"
    rows = []
    of_year = sorted(
        (m for m in measurements if m.period_start.year == year),
        key=lambda m: (
            m.period_start,
            -m.period_end.toordinal(),
            m.territory_id is not None,  # the whole first, on every database
            m.territory.name if m.territory_id else "",
        ),
    )
    for m in of_year:
        rows.append(
            doc.Measurement(
                period=m.period,
                territory=m.territory.name if m.territory_id else "ensemble",
                value=_show(indicator, m.value, m.value_text, threshold).text,
                status=m.get_status_display(),
            )
        )
    chart = None
    if numeric:
        points = []
        for y in range(min(first_year, year), year + 1):
            r, _ = _year_reading(indicator, measurements, y, threshold)
            t = data.targets.get((indicator.pk, y, None))
            points.append(
                doc.ChartPoint(
                    label=str(y),
                    value=None if r.masked else r.value,
                    text=r.text,
                    target=t.value if t else None,
                    current=y == year,
                )
            )
        described = "; ".join(
            f"{p.label} : {p.text}"
            + (f" (cible {format_number(p.target)})" if p.target is not None else "")
            for p in points
        )
        candidate = doc.Chart(
            title=f"Évolution : {indicator.label}"[:200],
            description=f"Valeurs par année. {described}.",
            points=tuple(points),
            unit=indicator.unit,
        )
        chart = candidate if candidate.has_values else None
    value_text = shown.text + (" (somme des territoires)" if summed else "")
    return doc.Indicator(
        anchor=anchor,
        label=indicator.label,
        kind=indicator.get_kind_display() if indicator.kind else "",
        unit=indicator.unit,
        value=value_text,
        target=format_number(target.value) if target else NONE,
        achievement=achievement,
        previous=previous.text,
        trend=change,
        measurements=tuple(rows),
        chart=chart,
    )


def _milestones(milestones: list[Milestone], year: int, today: dt.date) -> list[doc.Milestone]:
    """Reached in the year, late at the end of the year (or today, for the current year),
    and still due in the year."""
    end = min(dt.date(year, 12, 31), today)
    shown = []
    for m in milestones:
        if m.reached_on and m.reached_on.year == year:
            state, late = f"atteint le {fr_date(m.reached_on)}", False
            if m.due_date and m.reached_on > m.due_date:
                state += " (avec retard)"
        elif m.due_date and m.due_date <= end and (m.reached_on is None or m.reached_on > end):
            state, late = "en retard", True
        elif m.due_date and m.due_date.year == year and m.reached_on is None:
            state, late = "prévu", False
        else:
            continue
        shown.append(doc.Milestone(m.label, fr_date(m.due_date), state, late))
    return shown


def _budget(lines: list[BudgetLine], year: int) -> doc.Table | None:
    if not lines:
        return None
    rows = [
        doc.Row(
            (
                line.institution.name if line.institution_id else "non précisée",
                format_eur(line.amount_eur) if line.amount_eur is not None else NONE,
                format_fte(line.fte) if line.fte is not None else NONE,
                line.text,
            )
        )
        for line in lines
    ]
    total = grand_total(budget_totals(_figures(lines)))
    return doc.Table(
        caption=f"Budget prévisionnel {year} par institution",
        headers=("Institution", "Montant", "ETP", "Précisions"),
        rows=tuple(rows),
        footer=doc.Row(("Total", format_eur(total.amount_eur), format_fte(total.fte), "")),
    )


def _figures(lines: Iterable[BudgetLine]) -> list[BudgetFigure]:
    return [
        BudgetFigure(
            line.institution.name if line.institution_id else None, line.amount_eur, line.fte
        )
        for line in lines
    ]


def _decision(decision: Decision) -> doc.Decision:
    meeting = decision.meeting
    return doc.Decision(
        date=fr_date(meeting.date),
        body=meeting.body.name,
        kind=decision.get_kind_display(),
        text=decision.text,
    )


def _cover(
    convention: Convention, year: int, review: AnnualReview | None, parties: list[Party]
) -> doc.Cover:
    listed = []
    for party in parties:
        signatories = [
            s.representative_name
            + (f", {s.representative_title}" if s.representative_title else "")
            for s in party.signatories.all()
        ]
        detail = f"représenté(e) par {' ; '.join(signatories)}" if signatories else ""
        listed.append(doc.Party(party.institution.name, detail))
    validation = review_note = ""
    if review is not None and review.validated_at:
        validation = f"Validé le {fr_date(review.validated_at)}"
        if review.validated_in_id:
            validation += (
                f" ({review.validated_in.body.name} du {fr_date(review.validated_in.date)})"
            )
    if review is not None and review.reviewed_at:
        review_note = f"Examiné le {fr_date(review.reviewed_at)}"
        if review.reviewed_in_id:
            review_note += (
                f" ({review.reviewed_in.body.name} du {fr_date(review.reviewed_in.date)})"
            )
    return doc.Cover(
        title=f"Bilan annuel {year}",
        convention=convention.title,
        reference=convention.reference,
        parties=tuple(listed),
        year=year,
        period=f"du 01/01/{year} au 31/12/{year}",
        status=review.get_status_display() if review else "Projet (bilan non encore créé)",
        validation=validation,
        review_note=review_note,
        generated_on=f"Édité le {fr_date(timezone.localdate())}",
        draft=review is None,
    )


def review_document(review: AnnualReview) -> doc.ReviewContent:
    """What the page and every file of ``review`` show: for a validated review, the
    snapshot taken at its validation (no query; the live data may have changed since);
    otherwise the content computed now from the data (``review_content``)."""
    if review.is_frozen:
        return doc.from_dict(review.content)
    return review_content(review.convention, review.year, review)


def review_content(
    convention: Convention,
    year: int,
    review: AnnualReview | None = None,
    *,
    today: dt.date | None = None,
) -> doc.ReviewContent:
    """The review of ``year``: the stored narrative of ``review`` if given (else a draft
    from the data alone). A fixed number of queries, whatever the size of the plan."""
    today = today or timezone.localdate()
    threshold = convention.secrecy_threshold
    data = _Data(convention, year, review)
    first_year = convention.effective_date.year if convention.effective_date else year
    actions_by_theme: dict[int, list[doc.Action]] = defaultdict(list)
    decisions_by_action: dict[int, list[Decision]] = defaultdict(list)
    for decision in data.decisions:
        for action_id in data.decision_actions.get(decision.pk, ()):
            decisions_by_action[action_id].append(decision)
    numbers = {a.pk: a.number for a in data.actions}
    statuses_now: Counter[str] = Counter()
    statuses_before: Counter[str] = Counter()
    new_actions = 0
    progress_now: list[int] = []
    progress_before: list[int] = []
    reached = late = measured = indicator_count = 0
    convention_started = convention.effective_date is not None and (
        convention.effective_date.year < year
    )
    for action in data.actions:
        before = data.previous.get(action.pk, {})
        is_new = not convention_started or bool(before.get("new"))
        old_status = str(before.get("status", action.status))
        old_progress = before.get("progress", action.progress)
        statuses_now[action.status] += 1
        progress_now.append(action.progress)
        if is_new:
            new_actions += 1
        else:
            statuses_before[old_status] += 1
            progress_before.append(int(old_progress))
        milestones = _milestones(data.milestones.get(action.pk, []), year, today)
        reached += sum(1 for m in milestones if m.state.startswith("atteint"))
        late += sum(1 for m in milestones if m.late)
        anchor = _anchor("action", action.number)
        indicators = [
            _indicator(i, f"{anchor}-i{n}", data, year, first_year, threshold)
            for n, i in enumerate(data.indicators.get(action.pk, []), start=1)
        ]
        indicator_count += len(indicators)
        measured += sum(1 for i in indicators if i.value != NONE)
        leads = ", ".join(
            lead.institution.name + (f" ({lead.unit})" if lead.unit else "")
            for lead in data.leads.get(action.pk, [])
        )
        actions_by_theme[action.orientation.theme_id].append(
            doc.Action(
                anchor=anchor,
                number=action.number,
                title=action.title,
                leads=leads or action.leads_text or NONE,
                status=action.get_status_display(),
                progress=_percent(action.progress),
                progress_value=action.progress,
                comparison=doc.Comparison(
                    previous_status=NEW if is_new else _status_label(old_status),
                    status=action.get_status_display(),
                    previous_progress=NEW if is_new else _percent(old_progress),
                    progress=_percent(action.progress),
                ),
                milestones=tuple(milestones),
                indicators=tuple(indicators),
                budget=_budget(data.budget.get(action.pk, []), year),
                notes=tuple(
                    doc.Note(
                        fr_date(n.date),
                        (n.author.get_full_name() or n.author.get_username()) if n.author else "",
                        n.text,
                    )
                    for n in data.notes.get(action.pk, [])
                ),
                decisions=tuple(_decision(d) for d in decisions_by_action.get(action.pk, [])),
            )
        )
    themes = []
    for theme in data.themes:
        narrative = data.narratives.get(theme.pk)
        actions = actions_by_theme.get(theme.pk, [])
        counts = Counter(a.status for a in actions)
        detail = ", ".join(f"{n} {label.lower()}" for label, n in counts.most_common())
        themes.append(
            doc.Theme(
                anchor=_anchor("theme", theme.number),
                number=theme.number,
                title=f"Thématique {theme.number} : {theme.title}",
                narrative=doc.Narrative(
                    narrative.achievements if narrative else "",
                    narrative.difficulties if narrative else "",
                    narrative.outlook if narrative else "",
                ),
                actions=tuple(actions),
                summary=(
                    f"{len(actions)} fiche(s) action : {detail}." if actions else "Aucune action."
                ),
            )
        )
    meetings = []
    for meeting in data.meetings:
        decisions = [d for d in data.decisions if d.meeting_id == meeting.pk]
        listed = []
        for d in decisions:
            concerned = [numbers[a] for a in data.decision_actions.get(d.pk, ()) if a in numbers]
            item = _decision(d)
            if concerned:
                item = doc.Decision(
                    item.date,
                    item.body,
                    item.kind,
                    f"{item.text} (action{'s' if len(concerned) > 1 else ''} "
                    f"{', '.join(concerned)})",
                )
            listed.append(item)
        meetings.append(
            doc.Meeting(
                date=fr_date(meeting.date),
                body=meeting.body.name,
                title=meeting.title,
                location=meeting.location,
                minutes=(
                    "compte rendu approuvé"
                    if meeting.minutes_status == MinutesStatus.APPROVED
                    else "compte rendu en projet"
                ),
                decisions=tuple(listed),
            )
        )
    all_budget = [line for lines in data.budget.values() for line in lines]
    totals = budget_totals(_figures(all_budget))
    total = grand_total(totals)
    budget_table = doc.Table(
        caption=f"Budget prévisionnel {year} par institution, toutes actions",
        headers=("Institution", "Montant", "ETP", "Lignes sans chiffrage"),
        rows=tuple(
            doc.Row(
                (
                    t.institution or "non précisée",
                    format_eur(t.amount_eur),
                    format_fte(t.fte),
                    str(t.unquantified_lines),
                )
            )
            for t in totals
        ),
        footer=doc.Row(
            (
                "Total",
                format_eur(total.amount_eur),
                format_fte(total.fte),
                str(total.unquantified_lines),
            )
        ),
    )
    status_rows = [
        doc.Row((label, str(statuses_before.get(value, 0)), str(statuses_now.get(value, 0))))
        for value, label in ActionStatus.choices
        if statuses_now.get(value) or statuses_before.get(value)
    ]
    if new_actions:
        status_rows.append(doc.Row(("Actions nouvelles", NEW, str(new_actions))))
    statuses_table = doc.Table(
        caption=f"Fiches action par état, fin {year - 1} et {year}",
        headers=("État", f"Fin {year - 1}", str(year)),
        rows=tuple(status_rows),
        footer=doc.Row(("Total", str(sum(statuses_before.values())), str(len(data.actions)))),
    )

    def mean(values: list[int]) -> str:
        return f"{round(sum(values) / len(values))} %" if values else NEW

    paragraphs = (
        f"Le projet de coopération compte {len(data.actions)} fiches action réparties en "
        f"{len(data.themes)} thématiques.",
        f"Avancement moyen : {mean(progress_now)} (fin {year - 1} : {mean(progress_before)}).",
        f"Jalons : {reached} atteint(s) en {year}, {late} en retard.",
        f"Indicateurs : {measured} renseigné(s) pour {year} sur {indicator_count}.",
        f"Instances : {len(data.meetings)} réunion(s) et {len(data.decisions)} décision(s) "
        f"en {year}.",
        f"Budget prévisionnel {year} : {format_eur(total.amount_eur)} et {format_fte(total.fte)}.",
    )
    content = doc.ReviewContent(
        cover=_cover(convention, year, review, data.parties),
        introduction=review.introduction if review else "",
        summary=doc.Summary(paragraphs, statuses_table, budget_table),
        themes=tuple(themes),
        meetings=tuple(meetings),
        conclusion=review.conclusion if review else "",
        threshold=threshold,
        secrecy_note=(
            f"Secret statistique : les effectifs inférieurs à {threshold} sont masqués "
            f"(« < {threshold} ») dans tout ce document."
        ),
    )
    return replace(content, toc=doc.table_of_contents(content))
