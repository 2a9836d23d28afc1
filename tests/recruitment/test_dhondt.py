"""D'Hondt seat allocation for task committees (Kommunestyrelsesloven §§25–26), last-seat ties by lot (Kommunal- og regionalvalgloven §81 stk. 2)."""

import random
from collections import Counter
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recruitment.dhondt import Allocation, Lot, allocate

GENTOFTE = {"C": 13, "A": 2, "V": 1, "B": 1, "F": 1, "Ø": 1}
TEXTBOOK = {"P": 100_000, "Q": 80_000, "R": 30_000, "S": 20_000}


def seeded(seed: int) -> random.Random:
    return random.Random(seed)


def lot_winners(allocation: Allocation) -> set[str]:
    return {group for lot in allocation.lots for group in lot.winners}


def won_quotients(allocation: Allocation):
    """The quotients that won a seat, in the order the seats were awarded."""
    return sorted((q for q in allocation.quotients if q.seat is not None), key=lambda q: q.seat)


# --- Worked examples --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "seats", "expected"),
    [
        pytest.param(GENTOFTE, 7, {"C": 6, "A": 1, "V": 0, "B": 0, "F": 0, "Ø": 0}, id="gentofte-7"),
        pytest.param(GENTOFTE, 9, {"C": 8, "A": 1, "V": 0, "B": 0, "F": 0, "Ø": 0}, id="gentofte-9"),
        # P 100k 50k 33.3k 25k | Q 80k 40k 26.7k | R 30k — the 9th quotient (20k) would be a three-way tie.
        pytest.param(TEXTBOOK, 8, {"P": 4, "Q": 3, "R": 1, "S": 0}, id="textbook-8"),
        pytest.param(GENTOFTE, 0, dict.fromkeys(GENTOFTE, 0), id="zero-seats"),
        pytest.param({"A": 5, "B": 0}, 3, {"A": 3, "B": 0}, id="group-without-members"),
        pytest.param({"A": 0, "B": 0}, 0, {"A": 0, "B": 0}, id="nobody-and-no-seats"),
    ],
)
def test_worked_example_without_lot(votes, seats, expected):
    allocation = allocate(votes, seats, seeded(1))

    assert allocation.seats == expected
    assert allocation.lots == []
    assert allocation.total == seats


def test_gentofte_15_seats_draws_lots_for_the_last_two():
    allocation = allocate(GENTOFTE, 15, seeded(7))

    assert allocation.lots == [
        Lot(tied=("A", "B", "C", "F", "V", "Ø"), value=Fraction(1), seats=2, winners=allocation.lots[0].winners)
    ]
    winners = allocation.lots[0].winners
    assert len(set(winners)) == 2
    certain = {"C": 12, "A": 1, "V": 0, "B": 0, "F": 0, "Ø": 0}
    assert allocation.seats == {g: certain[g] + (g in winners) for g in GENTOFTE}
    assert allocation.total == 15


def test_gentofte_15_seats_marks_the_drawn_quotients():
    allocation = allocate(GENTOFTE, 15, seeded(7))

    drawn = [q for q in allocation.quotients if q.by_lot]
    assert sorted(q.group for q in drawn) == sorted(GENTOFTE)
    assert {q.value for q in drawn} == {Fraction(1)}
    assert sorted(q.seat for q in drawn if q.seat is not None) == [14, 15]
    assert {q.group for q in drawn if q.seat is not None} == set(allocation.lots[0].winners)


def test_every_group_is_in_the_result_even_with_zero():
    allocation = allocate({"A": 10, "B": 1, "C": 0}, 2, seeded(1))

    assert allocation.seats == {"A": 2, "B": 0, "C": 0}


# --- Reproducibility ----------------------------------------------------------------------------------------------


def test_same_seed_same_winners():
    first = allocate(GENTOFTE, 15, seeded(42))
    second = allocate(GENTOFTE, 15, seeded(42))

    assert first == second


def test_seed_is_only_recorded_when_allocate_made_the_generator():
    assert isinstance(allocate(GENTOFTE, 15).seed, int)
    assert allocate(GENTOFTE, 15, seeded(1)).seed is None


def test_recorded_seed_replays_the_draw():
    original = allocate(GENTOFTE, 15)
    replay = allocate(GENTOFTE, 15, random.Random(original.seed))

    assert replay.seats == original.seats
    assert replay.quotients == original.quotients
    assert replay.lots == original.lots


def test_lot_gives_every_tied_group_its_fair_share():
    """Gentofte, 15 seats: six groups tie at quotient 1 for the last two seats, so each should win a third of the
    draws. Over 1,200 seeded draws each group's wins lie within 5 standard deviations of 400 (σ ≈ 16.3), and
    each pair of winners comes up as often as any other."""
    draws = 1200
    lots = [allocate(GENTOFTE, 15, seeded(seed)).lots[0] for seed in range(draws)]
    assert {lot.tied for lot in lots} == {tuple(sorted(GENTOFTE))} and {lot.seats for lot in lots} == {2}
    wins = Counter(group for lot in lots for group in lot.winners)
    expected, sigma = draws * 2 / 6, (draws * (2 / 6) * (4 / 6)) ** 0.5
    assert all(abs(wins[group] - expected) < 5 * sigma for group in GENTOFTE), wins
    # Every one of the 15 pairs of winners is as likely as any other (expected 80 each, σ ≈ 8.6).
    pairs = Counter(frozenset(lot.winners) for lot in lots)
    expected, sigma = draws / 15, (draws * (1 / 15) * (14 / 15)) ** 0.5
    assert len(pairs) == 15 and all(abs(n - expected) < 5 * sigma for n in pairs.values()), pairs


# --- Bad arguments ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("votes", "seats"),
    [
        pytest.param({"A": -1, "B": 3}, 2, id="negative-count"),
        pytest.param({"A": 3}, -1, id="negative-seats"),
        pytest.param({"A": 3}, 1.5, id="float-seats"),
        pytest.param({"A": 3}, "3", id="str-seats"),
        pytest.param({"A": 3}, True, id="bool-seats"),
        pytest.param({"A": 2.0}, 1, id="float-count"),
        pytest.param({"A": "2"}, 1, id="str-count"),
        pytest.param({"A": None}, 1, id="none-count"),
        pytest.param({}, 1, id="no-groups"),
        pytest.param({"A": 0, "B": 0}, 1, id="nobody-has-members"),
    ],
)
def test_bad_arguments_are_refused(votes, seats):
    with pytest.raises(ValueError) as excinfo:
        allocate(votes, seats, seeded(1))

    assert str(excinfo.value).strip()


# --- Properties ---------------------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=200, derandomize=True, deadline=None)

group_names = st.text(alphabet="ABCFIKOVØÅ", min_size=1, max_size=3)
votes_strategy = st.dictionaries(group_names, st.integers(0, 60), min_size=1, max_size=8).filter(
    lambda votes: any(votes.values())
)
seats_strategy = st.integers(0, 40)
seed_strategy = st.integers(0, 2**32)


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy)
def test_all_seats_are_allocated(votes, seats, seed):
    allocation = allocate(votes, seats, seeded(seed))

    assert allocation.total == seats
    assert set(allocation.seats) == set(votes)


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy)
def test_one_more_seat_takes_nothing_from_anyone(votes, seats, seed):
    """House monotonicity. A seat won by lot may go to another tied group when there is one more seat (the draw
    is new), so what must hold is: a group keeps every seat it won outright."""
    smaller = allocate(votes, seats, seeded(seed))
    larger = allocate(votes, seats + 1, seeded(seed))

    by_lot = Counter(group for lot in smaller.lots for group in lot.winners)
    assert all(larger.seats[g] >= smaller.seats[g] - by_lot[g] for g in votes)
    if not smaller.lots:
        assert all(larger.seats[g] >= smaller.seats[g] for g in votes)


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy)
def test_dhondt_condition(votes, seats, seed):
    """No group's next quotient beats another group's last winning quotient."""
    won = allocate(votes, seats, seeded(seed)).seats

    for g in votes:
        for h in votes:
            if won[h] > 0:
                assert Fraction(votes[g], won[g] + 1) <= Fraction(votes[h], won[h]), (g, h)


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy)
def test_more_members_never_fewer_seats(votes, seats, seed):
    won = allocate(votes, seats, seeded(seed)).seats

    for g in votes:
        for h in votes:
            if votes[g] > votes[h]:
                assert won[g] >= won[h], (g, h)


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy)
def test_without_lot_the_generator_does_not_matter(votes, seats, seed):
    """Without a tie the generator is never asked; with one, it decides only which tied groups win the lot."""
    first = allocate(votes, seats, seeded(seed))
    second = allocate(votes, seats, seeded(seed + 1))

    if not first.lots:
        assert second.lots == []
        assert second.seats == first.seats
        assert second.quotients == first.quotients
        return
    assert [(lot.tied, lot.value, lot.seats) for lot in second.lots] == [
        (lot.tied, lot.value, lot.seats) for lot in first.lots
    ]
    in_lot = {group for lot in first.lots for group in lot.tied}
    assert all(second.seats[g] == first.seats[g] for g in votes if g not in in_lot)
    assert sum(second.seats[g] for g in in_lot) == sum(first.seats[g] for g in in_lot)


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy)
def test_lot_is_well_formed(votes, seats, seed):
    allocation = allocate(votes, seats, seeded(seed))

    assert len(allocation.lots) <= 1
    for lot in allocation.lots:
        assert 0 < lot.seats < len(lot.tied)
        assert len(lot.winners) == lot.seats
        assert len(set(lot.winners)) == lot.seats
        assert set(lot.winners) <= set(lot.tied)
        assert all(Fraction(votes[g], allocation.seats[g] - (g in lot.winners) + 1) == lot.value for g in lot.tied)


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy)
def test_quotient_table_numbers_the_seats(votes, seats, seed):
    allocation = allocate(votes, seats, seeded(seed))
    won = won_quotients(allocation)

    assert [q.seat for q in won] == list(range(1, seats + 1))
    assert all(earlier.value >= later.value for earlier, later in pairwise(won))
    assert Counter(q.group for q in won) == +Counter(allocation.seats)
    assert all(q.value == Fraction(votes[q.group], q.divisor) for q in allocation.quotients)


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy, data=st.data())
def test_the_order_of_the_groups_does_not_matter(votes, seats, seed, data):
    """The same seed gives the same seats and lots whichever order the groups were entered in."""
    order = data.draw(st.permutations(list(votes)), label="order")
    shuffled = {group: votes[group] for group in order}

    original = allocate(votes, seats, seeded(seed))
    reordered = allocate(shuffled, seats, seeded(seed))

    assert reordered.seats == original.seats
    assert reordered.lots == original.lots
    assert reordered.quotients == original.quotients


@PROPERTY_SETTINGS
@given(votes=votes_strategy, seats=seats_strategy, seed=seed_strategy)
def test_lots_are_drawn_only_where_quotients_tie(votes, seats, seed):
    """A lot's groups all have a quotient equal to its value; with distinct quotients at the boundary, no lot."""
    allocation = allocate(votes, seats, seeded(seed))
    values = sorted((Fraction(n, d) for n in votes.values() if n > 0 for d in range(1, seats + 1)), reverse=True)
    tie_at_boundary = 0 < seats < len(values) and values[seats - 1] == values[seats]

    for lot in allocation.lots:
        for group in lot.tied:
            assert any(q.group == group and q.value == lot.value for q in allocation.quotients), (group, lot)
        assert lot.value == values[seats - 1]
    assert bool(allocation.lots) == tie_at_boundary
