"""Read-side queries: a fixed number of queries whatever the number of conventions.

Selectors never decide who sees what: callers pass querysets that already went through
the permission funnel (copil.accounts.perms); with none, they read every live convention
(the CLI's view).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from copil.conventions.enums import LifecycleStatus, NoticeForm
from copil.conventions.models import Convention, Party, PlanVersion
from copil.core.durations import format_months
from copil.core.lifecycle import Deadline, LifecycleState, notice_deadline_for, periods
from copil.importers.compare import compare_documents
from copil.importers.model import ImportedDocument, from_json, to_json


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
        "termination__party__institution", "territory", "plan", "basis_review"
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

    @property
    def basis_review(self):  # the predecessor's review kept at renewal (select_related)
        return getattr(self.convention, "basis_review", None)

    @property
    def renewable(self) -> bool:
        """Worth offering a renewal: it has a known end and no (visible) successor yet."""
        return (
            self.successor is None
            and self.convention.deleted_at is None
            and self.state is not None
            and self.state.ends_on is not None
        )


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


# --- an imported document, in words (the import preview) ---------------------------------


def document_terms_in_words(doc: ImportedDocument) -> list[str]:
    """The term rules of a parsed document, in the same sentences as the convention page."""
    term = doc.term
    unsaved = Convention(
        effective_date=term.effective_date,
        initial_term_months=term.initial_term_months,
        renewal_period_months=term.renewal_period_months,
        tacit_renewal=term.tacit_renewal,
        max_total_term_months=term.max_total_term_months,
        notice_period_months=term.notice_period_months or 0,
        notice_form=term.notice_form or "",
    )
    return terms_in_words(unsaved)


# --- plan versions and what changed between two of them -----------------------------------

#: The fields of an action compared between versions, with their French labels.
ACTION_FIELDS = {
    "title": _("Intitulé"),
    "shared_diagnosis": _("Diagnostic partagé"),
    "operational_objectives": _("Objectifs opérationnels"),
    "target_audiences": _("Publics visés"),
    "description": _("Descriptif de l'action"),
    "expected_results": _("Résultats attendus"),
    "leads": _("Pilotes"),
    "partners": _("Partenaires associés"),
    "schedule": _("Échéancier"),
    "milestones": _("Jalons"),
    "deliverables": _("Livrables"),
    "budget": _("Budget prévisionnel"),
    "indicators": _("Indicateurs"),
}


def plan_versions(convention: Convention) -> list[PlanVersion]:
    """The versions without their (large) data, oldest first. 1 query."""
    return list(
        convention.plan_versions.defer("data")
        .select_related("amendment", "created_by")
        .order_by("number")
    )


@dataclass(frozen=True)
class Segment:
    op: str  # "equal" | "delete" | "insert"
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    segments: list[Segment]


@dataclass(frozen=True)
class ActionChange:
    number: str
    title: str
    status: str  # "added" | "removed" | "changed"
    fields: list[FieldChange]


def word_diff(before: str, after: str) -> list[Segment]:
    """``before`` → ``after`` word by word (whitespace kept), consecutive ops merged."""
    # Words with their trailing whitespace: a run of changed words stays one segment.
    a, b = re.findall(r"\s*\S+\s*", before), re.findall(r"\s*\S+\s*", after)
    segments: list[Segment] = []

    def add(op: str, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", a[i1:i2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return segments


def _field_text(action: dict[str, Any], name: str) -> str:
    value = action.get(name)
    if name == "leads":
        return "\n".join(
            f"{x['institution']} ({x['unit']})" if x.get("unit") else x["institution"]
            for x in value
        )
    if name == "partners":
        return ", ".join(dict.fromkeys(value))
    if name == "milestones":
        return "\n".join(
            f"{m['label']} ({m['date']})" if m.get("date") else m["label"] for m in value
        )
    if name == "deliverables":
        return "\n".join(value)
    if name == "budget":
        return "\n".join(
            b.get("text") or f"{b.get('institution')} : {b.get('amount_eur')}" for b in value
        )
    if name == "indicators":
        return "\n".join(i["label"] for i in value)
    return value or ""


def _actions_by_number(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["number"]: a for t in data["themes"] for o in t["orientations"] for a in o["actions"]}


def action_changes(old: dict[str, Any], new: dict[str, Any]) -> list[ActionChange]:
    """Per action, each changed field as a word diff (added and removed actions too)."""
    before, after = _actions_by_number(old), _actions_by_number(new)
    result = []
    for number in sorted(before.keys() | after.keys(), key=_number_key):
        xa, xb = before.get(number, {}), after.get(number, {})
        fields = []
        for name, label in ACTION_FIELDS.items():
            text_a = _field_text(xa, name) if xa else ""
            text_b = _field_text(xb, name) if xb else ""
            if text_a != text_b:
                fields.append(FieldChange(str(label), word_diff(text_a, text_b)))
        if fields:
            status = "added" if not xa else "removed" if not xb else "changed"
            result.append(ActionChange(number, (xb or xa)["title"], status, fields))
    return result


@dataclass(frozen=True)
class VersionComparison:
    old: PlanVersion
    new: PlanVersion
    differences: list[str]  # compare_documents' sentences
    actions: list[ActionChange]


def compare_versions(convention: Convention, old_number: int, new_number: int) -> VersionComparison:
    """The two versions' data are read here (1 query)."""
    versions = {
        v.number: v for v in convention.plan_versions.filter(number__in=[old_number, new_number])
    }
    old, new = versions[old_number], versions[new_number]
    return VersionComparison(
        old=old,
        new=new,
        differences=compare_documents(from_json(old.data), from_json(new.data)),
        actions=action_changes(to_json(from_json(old.data)), to_json(from_json(new.data))),
    )


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in number.split("."))
