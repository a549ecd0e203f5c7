"""Read-side queries: a fixed number of queries whatever the number of conventions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from copil.conventions.enums import LifecycleStatus
from copil.conventions.models import Convention
from copil.core.lifecycle import Deadline, LifecycleState


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


def convention_rows(on: dt.date | None = None) -> list[ConventionRow]:
    on = on or today()
    conventions = (
        Convention.objects.alive()
        .select_related("termination")
        .prefetch_related("parties__institution")
        .order_by("-effective_date", "title")
    )
    return [ConventionRow(c, c.lifecycle(on)) for c in conventions]
