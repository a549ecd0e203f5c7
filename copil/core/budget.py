"""Budget arithmetic: totals per institution and overall, in euros and FTE.

Amounts are Decimals (money is never a float). A line without a figure ("A moyens
constants") counts in no total but is reported, so a total never looks complete when
part of the means is only described in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class BudgetFigure:
    institution: str | None
    amount_eur: Decimal | None
    fte: Decimal | None


@dataclass(frozen=True)
class BudgetTotal:
    institution: str | None
    amount_eur: Decimal
    fte: Decimal
    lines: int
    unquantified_lines: int  # lines with neither an amount nor an FTE figure


def totals_by_institution(lines: Iterable[BudgetFigure]) -> list[BudgetTotal]:
    """One total per institution, in first-seen order (None: institution not stated)."""
    acc: dict[str | None, list[Decimal | int]] = {}
    for line in lines:
        amount, fte, count, vague = acc.setdefault(line.institution, [ZERO, ZERO, 0, 0])
        acc[line.institution] = [
            amount + (line.amount_eur or ZERO),
            fte + (line.fte or ZERO),
            count + 1,
            vague + (line.amount_eur is None and line.fte is None),
        ]
    return [BudgetTotal(k, v[0], v[1], v[2], v[3]) for k, v in acc.items()]  # type: ignore[arg-type]


def grand_total(totals: Iterable[BudgetTotal]) -> BudgetTotal:
    totals = list(totals)
    return BudgetTotal(
        institution=None,
        amount_eur=sum((t.amount_eur for t in totals), ZERO),
        fte=sum((t.fte for t in totals), ZERO),
        lines=sum(t.lines for t in totals),
        unquantified_lines=sum(t.unquantified_lines for t in totals),
    )


def format_eur(amount: Decimal) -> str:
    """French money format: 145 000 € (narrow no-break space), 4 500,50 €."""
    quantized = amount.quantize(Decimal("0.01"))
    whole, _, cents = f"{quantized:,.2f}".partition(".")
    whole = whole.replace(",", "\u202f")
    return f"{whole} €" if cents == "00" else f"{whole},{cents} €"


def format_fte(fte: Decimal) -> str:
    text = f"{fte.normalize():f}".replace(".", ",")
    return f"{text} ETP"
