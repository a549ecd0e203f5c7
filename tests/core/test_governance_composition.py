"""Compositions of governance bodies, read from the convention's words (no database)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copil.core.governance import CAF, DEPARTEMENT, Seat, institution_hint, parse_composition

SENTENCE = (
    "Il est composé du Président du Conseil Départemental, du Président du Conseil "
    "d'Administration de la CAF, du Directeur Général des Services du Conseil Départemental "
    "(ou de son représentant) et du Directeur de la CAF"
)
EXPECTED = [
    Seat("Président du Conseil Départemental", DEPARTEMENT),
    Seat("Président du Conseil d'Administration de la CAF", CAF),
    Seat(
        "Directeur Général des Services du Conseil Départemental (ou de son représentant)",
        DEPARTEMENT,
    ),
    Seat("Directeur de la CAF", CAF),
]


def test_the_steering_committee_of_the_2019_convention():
    assert parse_composition(SENTENCE) == EXPECTED


def test_the_words_stored_by_the_importer_give_the_same_seats():
    stored = SENTENCE.removeprefix("Il est composé du ")
    assert parse_composition(stored) == EXPECTED


def test_the_2013_report_says_conseil_general():
    seats = parse_composition(
        "Président du Conseil Général, du Président du conseil d'administration de la CAF, "
        "du Directeur général des services du Conseil Général et du Directeur de la CAF"
    )
    assert [s.institution for s in seats] == [DEPARTEMENT, CAF, DEPARTEMENT, CAF]


def test_one_role_shared_by_two_institutions_gives_two_seats():
    assert parse_composition("représentants des services du Département et de la CAF") == [
        Seat("Représentants des services du Département", DEPARTEMENT),
        Seat("Représentants des services de la CAF", CAF),
    ]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("Directeur de la Caisse d'allocations familiales", CAF),
        ("Vice-présidente du CD67", DEPARTEMENT),
        ("Président du conseil départemental", DEPARTEMENT),
        ("Sous-préfet", None),
        ("Directrice de la CAF du Bas-Rhin, représentant le Département", DEPARTEMENT),
    ],
)
def test_institution_hint_is_the_institution_named_last(text, hint):
    assert institution_hint(text) == hint


@pytest.mark.parametrize("text", ["", "   ", "et", "(", "Il est composé de", ", , et ;"])
def test_nothing_to_read_gives_no_seat(text):
    assert parse_composition(text) == []


ROLES = [
    ("Président", "du Conseil Départemental", DEPARTEMENT),
    ("Vice-président", "du Département", DEPARTEMENT),
    ("Directeur", "de la CAF", CAF),
    ("Directrice adjointe", "de la Caisse d'allocations familiales", CAF),
    ("Président du Conseil d'Administration", "de la CAF", CAF),
    ("Sous-préfet", "", None),
    ("Élu référent", "", None),
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ROLES), min_size=1, max_size=8), st.booleans())
def test_a_list_of_seats_reads_back_seat_by_seat(picked, with_intro):
    """Whatever seats a sentence lists, in any order, each comes back with its hint."""
    phrases = [f"{role} {tail}".strip() for role, tail, _ in picked]
    listed = ", ".join(f"du {p}" for p in phrases[:-1])
    text = f"{listed} et du {phrases[-1]}" if listed else f"du {phrases[-1]}"
    if with_intro:
        text = f"Il est composé {text}"
    assert parse_composition(text) == [
        Seat(p, hint) for p, (_r, _t, hint) in zip(phrases, picked, strict=True)
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_well_formed_seats(text):
    for seat in parse_composition(text):
        assert seat.role.strip() == seat.role and seat.role
        assert seat.institution in (DEPARTEMENT, CAF, None)
