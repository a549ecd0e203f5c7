# ruff: noqa: E402
"""A deterministic benchmark dataset: `python bench/generate.py --scale national --seed 42`.

Writes into DATABASE_URL (migrated beforehand) with bulk_create, one transaction per
Département; the same seed gives the same rows, primary keys and timestamps aside. Words
come from bench/vocabulary.txt. Services are bypassed for speed, so instead of one audit
entry per object, a single entry summarises the run.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import click
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "copil.project.settings")
django.setup()

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models, transaction

from copil.audit.context import Actor, acting_as
from copil.audit.models import AuditAction
from copil.audit.services import record
from copil.conventions.enums import ConventionKind as Kind
from copil.conventions.enums import NoticeForm
from copil.conventions.models import Convention, Deliberation, Party, Signatory
from copil.core.durations import add_months
from copil.core.names import fold_key
from copil.core.periods import Period, parse_period
from copil.governance import models as gov
from copil.governance.enums import BodyKind, DecisionKind, MinutesStatus, Presence
from copil.governance.models import GovernanceBody
from copil.institutions.enums import TerritoryKind
from copil.institutions.models import Institution, InstitutionAlias, Territory
from copil.monitoring.enums import MeasurementStatus
from copil.monitoring.models import IndicatorTarget, Measurement
from copil.plan import models as plan
from copil.plan.enums import ActionStatus, IndicatorKind, IndicatorValueType, ThemeKind


@dataclass(frozen=True)
class Scale:
    departements: int
    frameworks: int  # successive CD–CAF framework conventions per Département (a lineage)
    ctgs: int  # CAF–EPCI conventions territoriales globales per Département
    contracts: int  # successive CD–EPCI territorial contracts per Département
    actions: int  # mean fiches action per convention
    spread: float  # actions vary by ± this fraction; 0 also means all 12 themes
    meetings: int  # about this many governance meetings in all


SCALES = {
    "tiny": Scale(1, 1, 1, 0, 4, 0.0, 10),
    "small": Scale(1, 1, 0, 0, 35, 0.0, 20),
    "national": Scale(100, 3, 8, 2, 35, 0.3, 20_000),
}
BATCH = 2000
Spec = tuple[Convention, list[Institution], int | None]  # convention, parties, predecessor index
Link = tuple[Territory, list[Institution], bool]  # territory, parties, follows the previous one
TACIT = dict(
    initial_term_months=36,
    renewal_period_months=12,
    tacit_renewal=True,
    notice_period_months=6,
    notice_form=NoticeForm.REGISTERED_LETTER,
)
CAPPED = dict(
    initial_term_months=12,
    renewal_period_months=12,
    tacit_renewal=True,
    max_total_term_months=48,
    notice_period_months=3,
    notice_form=NoticeForm.LETTER,
)
FIXED = [{"initial_term_months": m} for m in (36, 48, 60)]
OBSERVED = dt.date(2025, 6, 30)  # a fixed "today", so that the data does not drift with the clock
EPCI_KIND = r"^Communauté (de communes|d'agglomération|urbaine)"
BODIES = [(BodyKind.STEERING, "Comité de pilotage"), (BodyKind.TECHNICAL, "Comité technique")]
VALUE_TYPES = list(IndicatorValueType)  # number, percentage, boolean, text
VALUE_TYPE_WEIGHTS = (80, 12, 5, 3)
STATUSES = (MeasurementStatus.VALIDATED, MeasurementStatus.SUBMITTED, MeasurementStatus.DRAFT)
STATUS_WEIGHTS = (85, 10, 5)
PLACES = ("Hôtel du Département", "Siège de la CAF", "Visioconférence", "Maison de services")
MEASUREMENT_FIELDS = (
    "indicator_id",
    "period",
    "period_start",
    "period_end",
    "territory_id",
    "value",
    "value_text",
    "source",
    "comment",
    "status",
    "validated_at",
    "version",
    "updated_at",
)


def _vocabulary(path: Path) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = words.setdefault(line.strip("[]"), [])
        elif line.strip() and not line.startswith("#"):
            section.append(line.strip())
    return words


V = _vocabulary(Path(__file__).with_name("vocabulary.txt"))


def _months(rules: dict) -> int:
    return rules.get("max_total_term_months") or rules["initial_term_months"]


class Generator:
    """Draws everything from one random.Random, in a fixed order: same seed, same rows."""

    def __init__(self, scale: Scale, seed: int, measurements: bool = False) -> None:
        self.s, self.rng, self.counts = scale, random.Random(seed), Counter()
        # Indicator attributes, meetings and measurements draw from generators of their
        # own: the rows drawn from self.rng stay those of earlier versions of this script,
        # and --measurements changes nothing else.
        self.irng = random.Random(f"{seed}-indicators")
        self.grng = random.Random(f"{seed}-meetings")
        self.mrng = random.Random(f"{seed}-measurements") if measurements else None
        conventions = scale.departements * (scale.frameworks + scale.ctgs + scale.contracts)
        per_body = scale.meetings / (conventions * len(BODIES))
        low = round(per_body / 2)
        self.meetings_per_body = (low, max(low, round(2 * per_body) - low))
        self.periods: dict[str, Period] = {}
        self.keys: set[str] = set()  # alias keys written (unique in the database)
        self.taken: set[str] = set()  # EPCI names drawn, before their aliases are written

    def bulk(self, objs: list[models.Model]) -> list:
        if objs:
            type(objs[0]).objects.bulk_create(objs, batch_size=BATCH)
            self.counts[type(objs[0]).__name__] += len(objs)
        return objs

    def copy(self, model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert plain tuples: COPY on PostgreSQL, bulk_create elsewhere."""
        if not rows:
            return
        if connection.vendor == "postgresql":
            columns = ", ".join(model._meta.get_field(f).column for f in fields)
            sql = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
            model.objects.bulk_create(objs, batch_size=BATCH)
        self.counts[model.__name__] += len(rows)

    def text(self, n: int = 2, r: random.Random | None = None) -> str:
        r = r or self.rng
        phrase = "{} {} {}.".format
        return " ".join(
            phrase(*(r.choice(V[k]) for k in ("verbs", "objects", "where"))) for _ in range(n)
        )

    def institutions(self, specs: list[list[str]]) -> list[Institution]:
        """specs: [kind, name, short name, aliases] each; every name becomes an alias."""
        insts = self.bulk([Institution(kind=k, name=n, short_name=s) for k, n, s, _ in specs])
        aliases = []
        for inst, (_, name, _, more) in zip(insts, specs, strict=True):
            for alias in [name, *filter(None, more.split("; "))]:
                if (key := fold_key(alias)) not in self.keys:
                    self.keys.add(key)
                    aliases.append(InstitutionAlias(institution=inst, alias=alias, key=key))
        self.bulk(aliases)
        return insts

    def epci_name(self) -> list[str]:
        r, abbrev = self.rng, {"de communes": "CC", "urbaine": "CU", "d'agglomération": "CA"}
        while True:
            place = r.choice(V["place_roots"]) + r.choice(V["place_endings"])
            place += f"-sur-{r.choice(V['rivers'])}" if r.random() < 0.4 else ""
            name = r.choice(V["epci_forms"]).format(place)
            short = re.sub(EPCI_KIND, lambda m: abbrev[m[1]], name)
            if not (keys := {fold_key(name), fold_key(short)}) & self.taken:
                self.taken |= keys
                return ["epci", name, short, short]

    def departement(self, code: str, of: str) -> int:
        """Institutions, territories, conventions and plans of one Département."""
        r, s, name = self.rng, self.s, re.sub(r"^(de l'|de la |du |des |d'|de )", "", of)
        cd, caf, *others = self.institutions(
            [
                [f.strip().format(of=of, code=code) for f in spec.split("|")]
                for spec in V["institutions"]
            ]
        )
        epcis = self.institutions([self.epci_name() for _ in range(max(s.ctgs, s.contracts > 0))])
        (dept,) = self.bulk([Territory(kind=TerritoryKind.DEPARTEMENT, code=code, name=name)])
        terrs = self.bulk(
            [Territory(kind=TerritoryKind.EPCI, name=e.name, parent=dept) for e in epcis]
        )
        specs: list[Spec] = []

        refs = {"framework": f"CD{code}-CAF{code}", "ctg": f"CTG-{code}"}

        def add(kind: str, title: str, eff: dt.date, rules: dict, link: Link) -> dt.date:
            """Queue one convention; return the day after its last possible day."""
            (terr, parties, follows), end = link, add_months(eff, _months(rules))
            conv = Convention(
                title=f"{title} ({eff.year}-{(end - dt.timedelta(1)).year})",
                reference=f"{refs.get(kind, f'CTD-{code}')}-{eff.year}",
                kind=kind,
                territory=terr,
                effective_date=eff,
                preamble=self.text(3),
                term_clause=f"{_months(rules)} mois",
                **rules,
            )
            specs.append((conv, parties, len(specs) - 1 if follows else None))
            return end

        eff = dt.date(r.randint(2012, 2014), r.choice([1, 7]), 1)
        framework = f"Convention cadre de partenariat entre le Département {of} et la CAF {of}"
        for i in range(s.frameworks):
            last = i == s.frameworks - 1
            rules = r.choice([TACIT, CAPPED, FIXED[1]] if last else [CAPPED, *FIXED[:2]])
            eff = add(Kind.FRAMEWORK, framework, eff, rules, (dept, [cd, caf], i > 0))
        for epci, terr in zip(epcis[: s.ctgs], terrs, strict=False):
            eff = dt.date(r.randint(2016, 2025), r.choice([1, 4, 7, 9]), 1)
            parties = [caf, epci, cd] if r.random() < 0.3 else [caf, epci]
            title, rules = f"Convention territoriale globale — {epci.name}", [CAPPED, *FIXED[1:]]
            add(Kind.CTG, title, eff, r.choice(rules), (terr, parties, False))
        eff, title = dt.date(r.randint(2016, 2018), 1, 1), f"Contrat départemental {of} — "
        for i in range(s.contracts):
            link = (terrs[0], [cd, epcis[0]], i > 0)
            eff = add(
                Kind.TERRITORIAL_CONTRACT, title + epcis[0].name, eff, r.choice(FIXED[:2]), link
            )
        convs = self.bulk([c for c, _, _ in specs])
        for conv, _, prev in specs:
            conv.predecessor = convs[prev] if prev is not None else None
        Convention.objects.bulk_update([c for c, _, p in specs if p is not None], ["predecessor"])
        bodies = self.people(specs)
        actions, indicators = self.plans(specs, [*others, *epcis])
        self.meetings(bodies, {c.pk: i for c, i, _ in specs}, actions)
        if self.mrng is not None:
            self.measurements(indicators, terrs or [dept])
        return len(specs)

    def people(self, specs: list[Spec]) -> list[GovernanceBody]:
        """Parties, their signatories and deliberations, governance bodies."""
        r = self.rng
        parties = self.bulk(
            [
                Party(convention=c, institution=i, name_as_written=i.name, position=k)
                for c, insts, _ in specs
                for k, i in enumerate(insts)
            ]
        )
        self.bulk(
            [
                Signatory(
                    party=p,
                    representative_name=f"{r.choice(V['first_names'])} {r.choice(V['last_names'])}",
                    representative_title="Président" if r.random() < 0.7 else "Directeur",
                    signed_on=p.convention.effective_date - dt.timedelta(r.randint(5, 90)),
                )
                for p in parties
            ]
        )
        self.bulk(
            [
                Deliberation(
                    convention=p.convention,
                    institution=p.institution,
                    reference=f"{p.institution.short_name or 'DEL'}/"
                    f"{p.convention.effective_date.year}/{r.randint(1, 400)}",
                    body="Assemblée délibérante",
                    date=p.convention.effective_date - dt.timedelta(r.randint(60, 120)),
                )
                for p in parties
            ]
        )
        return self.bulk(
            [
                GovernanceBody(
                    convention=c,
                    kind=kind,
                    name=label,
                    position=k,
                    frequency=r.choice(["annuelle", "semestrielle", "trimestrielle"]),
                )
                for c, _, _ in specs
                for k, (kind, label) in enumerate(BODIES)
            ]
        )

    def plans(self, specs: list[Spec], pool: list[Institution]) -> tuple[list, list]:
        """Cooperation plan -> themes -> orientations -> fiches action."""
        r, s = self.rng, self.s
        plans = self.bulk(
            [
                plan.CooperationPlan(convention=c, cooperation_principles=self.text(3))
                for c, _, _ in specs
            ]
        )
        themes = self.bulk(
            [
                plan.Theme(
                    plan=p,
                    number=k + 1,
                    title=t,
                    introduction=self.text(1),
                    kind=ThemeKind.TRANSVERSE if k == 0 else ThemeKind.THEMATIC,
                )
                for p in plans
                for k, t in enumerate(
                    r.sample(V["themes"], len(V["themes"]) if s.spread == 0 else r.randint(4, 10))
                )
            ]
        )
        orients = self.bulk(
            [
                plan.Orientation(theme=t, number=k + 1, title=self.text(1)[:-1])
                for t in themes
                for k in range(r.randint(1, 3))
            ]
        )
        by_plan: dict[int, list[plan.Orientation]] = {}
        for o in orients:
            by_plan.setdefault(o.theme.plan_id, []).append(o)
        actions: list[plan.Action] = []
        for p in plans:
            os_ = by_plan[p.pk]
            n = round(s.actions * (1 + r.uniform(-s.spread, s.spread)))
            per, seq = Counter(r.randrange(len(os_)) for _ in range(n)), Counter()
            for k, o in enumerate(os_):
                for _ in range(per[k]):
                    seq[o.theme.number] += 1
                    start = add_months(p.convention.effective_date, r.randint(0, 24))
                    status = r.choice(list(ActionStatus))
                    actions.append(
                        plan.Action(
                            plan=p,
                            orientation=o,
                            number=f"{o.theme.number}.{seq[o.theme.number]}",
                            position=len(actions),
                            title=self.text(1)[:-1],
                            shared_diagnosis=self.text(2),
                            operational_objectives=self.text(2),
                            description=self.text(3),
                            target_audiences="Familles, jeunes",
                            expected_results=self.text(1),
                            status=status,
                            start_date=start,
                            end_date=add_months(start, r.randint(6, 36)),
                            progress=100 if status == ActionStatus.DONE else r.randint(0, 90),
                        )
                    )
        self.bulk(actions)
        return actions, self.action_rows(actions, {c.pk: i for c, i, _ in specs}, pool)

    def action_rows(self, actions: list, parties_of: dict[int, list], pool: list) -> list:
        """Leads, partners, budget lines, indicators, milestones, deliverables."""
        r, rows = self.rng, {name: [] for name in ("lead", "partner", "budget", "ind", "ms", "dl")}
        for a in actions:
            parties = parties_of[a.plan.convention_id]
            chosen = r.sample(parties, r.randint(1, min(2, len(parties))))
            for k, i in enumerate(chosen):
                unit = r.choice(V["units"])
                rows["lead"].append(plan.ActionLead(action=a, institution=i, unit=unit, position=k))
                amount, fte = Decimal(r.randrange(0, 150_000, 500)), Decimal(r.randint(0, 20)) / 10
                rows["budget"].append(
                    plan.BudgetLine(
                        action=a,
                        institution=i,
                        amount_eur=amount,
                        fte=fte,
                        position=k,
                        text=f"{i.short_name} : {amount} € ; {fte} ETP",
                        year=a.start_date.year,
                    )
                )
            others = [i for i in dict.fromkeys([*parties, *pool]) if i not in chosen]
            for k, i in enumerate(r.sample(others, r.randint(0, 3))):
                rows["partner"].append(plan.ActionPartner(action=a, institution=i, position=k))
            for k in range(r.randint(2, 7)):
                label, kind = r.choice(V["indicators"]), r.choice(list(IndicatorKind))
                value_type = self.irng.choices(VALUE_TYPES, VALUE_TYPE_WEIGHTS)[0]
                by_epci = value_type == IndicatorValueType.NUMBER and self.irng.random() < 0.25
                rows["ind"].append(
                    plan.Indicator(
                        action=a,
                        label=label,
                        kind=kind,
                        position=k,
                        value_type=value_type,
                        breakdown=TerritoryKind.EPCI if by_epci else "",
                    )
                )
            for k in range(r.randint(1, 4)):
                due = add_months(a.start_date, r.randint(0, 24))
                reached = due if due < OBSERVED and r.random() < 0.6 else None
                rows["ms"].append(
                    plan.Milestone(
                        action=a,
                        label=r.choice(V["milestones"]),
                        due_date=due,
                        reached_on=reached,
                        position=k,
                    )
                )
            for k in range(r.randint(0, 2)):
                label = r.choice(V["deliverables"])
                rows["dl"].append(plan.Deliverable(action=a, label=label, position=k))
        for objs in rows.values():
            self.bulk(objs)
        return rows["ind"]

    def meetings(self, bodies: list, parties_of: dict[int, list], actions: list) -> None:
        """Meetings of every body over its convention's term, with attendees, agenda items
        linked to actions, decisions and follow-up tasks; minutes approved when past."""
        r, (low, high) = self.grng, self.meetings_per_body
        by_convention: dict[int, list] = {}
        for a in actions:
            by_convention.setdefault(a.plan.convention_id, []).append(a)
        meetings, plans = [], []  # plans: (meeting, its convention's actions, its parties)
        for body in bodies:
            c = body.convention
            days = (add_months(c.effective_date, _months(vars(c))) - c.effective_date).days
            for day in sorted(r.randrange(days) for _ in range(r.randint(low, high))):
                date = c.effective_date + dt.timedelta(day)
                approved = date < OBSERVED - dt.timedelta(30)
                meetings.append(
                    gov.Meeting(
                        body=body,
                        convention=c,
                        date=date,
                        title=f"{body.name} du {date:%d/%m/%Y}",
                        location=r.choice(PLACES),
                        minutes=self.text(2, r) if approved else "",
                        minutes_status=MinutesStatus.APPROVED if approved else MinutesStatus.DRAFT,
                        approved_at=_noon(date + dt.timedelta(21)) if approved else None,
                    )
                )
                plans.append((by_convention.get(c.pk, []), parties_of[c.pk]))
        self.bulk(meetings)
        rows = {name: [] for name in ("att", "agenda", "dec", "task")}
        links = []  # (decision, action)
        for m, (acts, parties) in zip(meetings, plans, strict=True):
            for k, inst in enumerate(parties):
                rows["att"].append(
                    gov.Attendee(
                        meeting=m,
                        name=f"{r.choice(V['first_names'])} {r.choice(V['last_names'])}",
                        institution=inst,
                        role=r.choice(["Président", "Directeur", "Chef de service"]),
                        presence=Presence.PRESENT if r.random() < 0.85 else Presence.EXCUSED,
                        position=k,
                    )
                )
            for k, a in enumerate(r.sample(acts, min(len(acts), r.randint(1, 3)))):
                title = f"Point d'étape sur l'action {a.number}"
                rows["agenda"].append(gov.AgendaItem(meeting=m, title=title, action=a, position=k))
            for k in range(r.randint(0, 2)):
                kind = r.choice(list(DecisionKind))
                decision = gov.Decision(meeting=m, kind=kind, text=self.text(1, r), position=k)
                rows["dec"].append(decision)
                if acts:
                    links.append((decision, r.choice(acts)))
            if r.random() < 0.3:
                due = m.date + dt.timedelta(r.randint(30, 120))
                title, owner = r.choice(V["milestones"]), r.choice(parties).short_name
                rows["task"].append(
                    gov.FollowUpTask(meeting=m, title=title, owner_label=owner, due_date=due)
                )
        for objs in rows.values():
            self.bulk(objs)
        through = gov.Decision.actions.through
        self.bulk([through(decision=d, action=a) for d, a in links])

    def period(self, label: str) -> Period:
        if label not in self.periods:
            self.periods[label] = parse_period(label)
        return self.periods[label]

    def measurements(self, indicators: list, territories: list[Territory]) -> None:
        """For 1 to 4 years from the action's start (none after OBSERVED): a yearly target
        of every count indicator, and its measurements, quarterly or, for an indicator
        broken down by EPCI, yearly per EPCI territory. Mostly validated."""
        r, rows, targets = self.mrng, [], []
        for ind in indicators:
            first = ind.action.start_date.year
            for year in range(first, min(first + r.randint(1, 4), OBSERVED.year + 1)):
                is_count = ind.value_type == IndicatorValueType.NUMBER
                if is_count:  # the whole convention's target: all its territories together
                    value = r.randint(20, 800) * (len(territories) if ind.breakdown else 1)
                    targets.append(IndicatorTarget(indicator=ind, year=year, value=value))
                if ind.breakdown:
                    where = [(str(year), t.pk) for t in territories]
                else:
                    where = [(f"{year}-T{q}", None) for q in range(1, 5)]
                for label, territory in where:
                    p = self.period(label)
                    if p.end > OBSERVED:
                        break
                    value, text = self.value(ind.value_type, 4 if territory else 1)
                    status = r.choices(STATUSES, STATUS_WEIGHTS)[0]
                    validated = _noon(p.end + dt.timedelta(30))
                    rows.append(
                        (
                            ind.pk,
                            label,
                            p.start,
                            p.end,
                            territory,
                            value,
                            text,
                            r.choice(V["units"]),
                            "",
                            status,
                            validated if status == MeasurementStatus.VALIDATED else None,
                            1,
                            validated,
                        )
                    )
        self.bulk(targets)
        self.copy(Measurement, MEASUREMENT_FIELDS, rows)

    def value(self, value_type: str, scale: int) -> tuple[Decimal | None, str]:
        r = self.mrng
        if value_type == IndicatorValueType.NUMBER:  # a count; a few below the secrecy threshold
            return Decimal(r.randint(1, 4) if r.random() < 0.05 else r.randint(5, 150 * scale)), ""
        if value_type == IndicatorValueType.PERCENTAGE:
            return Decimal(r.randint(0, 1000)) / 10, ""
        if value_type == IndicatorValueType.BOOLEAN:
            return Decimal(r.randint(0, 1)), ""
        return None, r.choice(["Réalisé", "En cours", "Reporté"])


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def reset_database() -> None:
    """Empty the whole database (`manage.py flush`), users and audit log included:
    accounts reference institutions and the audit log references accounts, so copil's
    tables cannot be emptied alone."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


def generate(
    scale: str,
    seed: int,
    *,
    reset: bool = False,
    progress: bool = True,
    measurements: bool = False,
) -> Counter:
    """Write the dataset and one summarising audit entry; return the row counts per model.
    ``measurements``: also indicator targets and measurements (about 2,000,000 at
    national scale)."""
    if reset:
        reset_database()
    if Institution.objects.exists() or Convention.objects.exists():
        raise click.ClickException("The database already holds data: use --reset.")
    s, gen = SCALES[scale], Generator(SCALES[scale], seed, measurements)
    depts = [line.split(" ", 1) for line in V["departements"][: s.departements]]
    total = len(depts) * (s.frameworks + s.ctgs + s.contracts)
    label = f"{scale} (seed {seed})"
    with click.progressbar(
        length=total, label=label, file=sys.stderr, hidden=not progress, show_pos=True
    ) as bar:
        for code, of in depts:
            with transaction.atomic():
                bar.update(gen.departement(code, of))
    summary = ", ".join(f"{n} {model}" for model, n in gen.counts.items())
    with acting_as(Actor(label="bench/generate.py")), transaction.atomic():
        record(
            Convention.objects.order_by("pk").first(),
            AuditAction.IMPORT,
            changes={"scale": scale, "seed": seed, "measurements": measurements, **gen.counts},
            message=f"Jeu de données de test (échelle {scale}, graine {seed}) : {summary}",
        )
    return gen.counts


@click.command()
@click.option("--scale", type=click.Choice(list(SCALES)), default="small", show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--reset", is_flag=True, help="Empty the whole database first (manage.py flush).")
@click.option(
    "--measurements",
    is_flag=True,
    help="Also indicator targets and measurements (about 2,000,000 at national scale).",
)
def main(scale: str, seed: int, reset: bool, measurements: bool) -> None:
    """Generate a deterministic dataset into DATABASE_URL (migrated beforehand)."""
    started = time.perf_counter()
    counts = generate(scale, seed, reset=reset, measurements=measurements)
    elapsed = time.perf_counter() - started
    click.echo(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    for model, n in counts.items():
        click.echo(f"{model:<16} {n:>8}")
    click.echo(f"{'total rows':<16} {sum(counts.values()):>8}\nwall time: {elapsed:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    click.echo(f"peak memory (max RSS of this process): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
