"""Seat allocation by the D'Hondt method, as Gentofte appoints task committees.

All seats of a task committee, politicians and citizens "under ét", are divided among the council's groups
(a party, or a valggruppe of several parties) in proportion to their council members (Kommunestyrelsesloven
§§25–26). Each group's count is divided by 1, 2, 3, …; the largest quotients win. Quotients are compared exactly
(``Fraction``), never as floats. Equal quotients competing for the last seats are settled by lot
("Er kvotienterne lige store, foretages lodtrækning", the parallel rule in Kommunal- og regionalvalgloven §81
stk. 2); every lot is recorded, and the draw can be repeated from its seed.

Pure Python: no Django imports, so it can be tested and reasoned about alone.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class Quotient:
    group: str
    divisor: int
    value: Fraction
    seat: int | None = None  # the seat number (1-based, in order of award) this quotient won, if any
    by_lot: bool = False  # won, or lost, in a draw


@dataclass(frozen=True)
class Lot:
    """One draw: ``tied`` groups had equal quotients ``value`` for ``seats`` remaining seats; ``winners`` got them."""

    tied: tuple[str, ...]
    value: Fraction
    seats: int
    winners: tuple[str, ...]


@dataclass
class Allocation:
    seats: dict[str, int]
    quotients: list[Quotient] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    seed: int | None = None  # set when allocate() made its own random generator, so the draw can be repeated

    @property
    def total(self) -> int:
        return sum(self.seats.values())


def _validate(votes: Mapping[str, int], seats: int) -> None:
    if isinstance(seats, bool) or not isinstance(seats, int):
        raise ValueError(f"Antallet af pladser skal være et helt tal, ikke {seats!r}.")
    if seats < 0:
        raise ValueError(f"Antallet af pladser kan ikke være negativt ({seats}).")
    if not votes:
        raise ValueError("Der skal være mindst én valggruppe.")
    for group, count in votes.items():
        if not isinstance(group, str) or not group:
            raise ValueError(f"En valggruppe skal have et navn, ikke {group!r}.")
        if isinstance(count, bool) or not isinstance(count, int):
            raise ValueError(f"Valggruppe {group}: antal medlemmer skal være et helt tal, ikke {count!r}.")
        if count < 0:
            raise ValueError(f"Valggruppe {group}: antal medlemmer kan ikke være negativt ({count}).")
    if seats > 0 and sum(votes.values()) == 0:
        raise ValueError("Ingen valggruppe har medlemmer, så pladserne kan ikke fordeles.")


def allocate(votes: Mapping[str, int], seats: int, rng: random.Random | None = None) -> Allocation:
    """Allocate ``seats`` among ``votes`` (group -> council members) by D'Hondt, ties for the last seats by lot."""
    _validate(votes, seats)
    seed = None
    if rng is None:
        seed = secrets.randbits(64)
        rng = random.Random(seed)

    groups = sorted(votes)
    table = [(Fraction(votes[g], d), g, d) for g in groups if votes[g] > 0 for d in range(1, seats + 1)]
    # Largest quotient first; among equals, a stable order by group name (never decides anything: ties go to lot).
    table.sort(key=lambda q: (-q[0], q[1], q[2]))

    won: dict[tuple[str, int], tuple[int, bool]] = {}
    lots: list[Lot] = []
    if seats:
        boundary = table[seats - 1][0]
        above = [q for q in table if q[0] > boundary]
        tied = [q for q in table if q[0] == boundary]
        for number, (_v, g, d) in enumerate(above, start=1):
            won[(g, d)] = (number, False)
        remaining = seats - len(above)
        if len(tied) == remaining:
            for number, (_v, g, d) in enumerate(tied, start=len(above) + 1):
                won[(g, d)] = (number, False)
        else:
            # A quotient value occurs at most once per group (v/d falls strictly with d), so the tied are groups.
            tied_groups = tuple(g for _v, g, _d in tied)
            winners = tuple(sorted(rng.sample(tied_groups, remaining)))
            lots.append(Lot(tied=tied_groups, value=boundary, seats=remaining, winners=winners))
            for number, (_v, g, d) in enumerate((q for q in tied if q[1] in winners), start=len(above) + 1):
                won[(g, d)] = (number, True)

    tied_keys = {(g, d) for lot in lots for (_v, g, d) in table if _v == lot.value and g in lot.tied}
    quotients = [
        Quotient(
            group=g,
            divisor=d,
            value=v,
            seat=won[(g, d)][0] if (g, d) in won else None,
            by_lot=(g, d) in tied_keys,
        )
        for v, g, d in table
    ]
    result = {g: 0 for g in votes}
    for g, _d in won:
        result[g] += 1
    return Allocation(seats=result, quotients=quotients, lots=lots, seed=seed)


def relabel(allocation: Allocation, names: Mapping[str, str]) -> Allocation:
    """The same allocation with its groups renamed (``names``: old -> new)."""
    return Allocation(
        seats={names[g]: n for g, n in allocation.seats.items()},
        quotients=[
            Quotient(group=names[q.group], divisor=q.divisor, value=q.value, seat=q.seat, by_lot=q.by_lot)
            for q in allocation.quotients
        ],
        lots=[
            Lot(
                tied=tuple(names[g] for g in lot.tied),
                value=lot.value,
                seats=lot.seats,
                winners=tuple(sorted(names[g] for g in lot.winners)),
            )
            for lot in allocation.lots
        ],
        seed=allocation.seed,
    )
