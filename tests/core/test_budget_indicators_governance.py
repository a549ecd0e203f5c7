import datetime as dt
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from copil.core.budget import (
    BudgetFigure,
    format_eur,
    format_fte,
    grand_total,
    totals_by_institution,
)
from copil.core.governance import is_overdue, next_meeting_due, parse_frequency
from copil.core.indicators import achievement, mask_count, trend


def test_totals_per_institution_keep_unquantified_lines_visible():
    totals = totals_by_institution(
        [
            BudgetFigure("CD", D("45000"), D("1")),
            BudgetFigure("CD", D("100000"), None),
            BudgetFigure("CAF", None, None),
            BudgetFigure("CD", D("4500"), D("0.1")),
        ]
    )
    cd, caf = totals
    assert (cd.institution, cd.amount_eur, cd.fte, cd.lines) == ("CD", D("149500"), D("1.1"), 3)
    assert (caf.amount_eur, caf.unquantified_lines) == (0, 1)
    total = grand_total(totals)
    assert (total.amount_eur, total.lines, total.unquantified_lines) == (D("149500"), 4, 1)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["CD", "CAF", None]),
            st.one_of(st.none(), st.decimals(0, 10**7, places=2)),
        )
    )
)
def test_grand_total_is_the_sum_of_the_lines(rows):
    lines = [BudgetFigure(i, a, None) for i, a in rows]
    assert grand_total(totals_by_institution(lines)).amount_eur == sum(
        (a for _, a in rows if a is not None), D(0)
    )


def test_french_formats():
    assert format_eur(D("145000")) == "145\u202f000 €"
    assert format_eur(D("4500.5")) == "4\u202f500,50 €"
    assert format_fte(D("0.10")) == "0,1 ETP"


def test_statistical_secrecy_masks_small_counts_only():
    assert mask_count(3).masked and mask_count(3).text == "< 5"
    assert not mask_count(0).masked
    assert mask_count(5).text == "5"
    assert not mask_count(D("2.5"), is_count=False).masked
    assert mask_count(7, threshold=10).masked
    assert mask_count(None).text == "—"


def test_achievement_works_both_ways():
    assert achievement(D(75), D(100)) == D("75.0")
    assert achievement(D(75), D(50), baseline=D(100)) == D("50.0")  # lower is better
    assert achievement(D(1), D(5), baseline=D(5)) is None
    assert trend([D(1), D(2)]) == "up" and trend([D(2)]) == "flat"


def test_frequency_rules_of_the_real_documents():
    assert parse_frequency("au moins une fois par an").max_gap_months == 12
    assert parse_frequency("rencontre trimestrielle").max_gap_months == 3
    assert parse_frequency("en tant que de besoin").max_gap_months is None
    yearly = parse_frequency("se réunit au moins une fois par an")
    since = dt.date(2019, 7, 1)
    assert next_meeting_due(yearly, None, since) == dt.date(2020, 7, 1)
    assert is_overdue(yearly, dt.date(2020, 3, 1), since, dt.date(2021, 3, 2))
    assert not is_overdue(yearly, dt.date(2020, 3, 1), since, dt.date(2021, 3, 1))
