"""The fair selection's lottery (recruitment.sortition): every panel it can draw meets the targets, the chances add
up to the seats, the same seed draws the same panel, and nobody who could sit on a fair panel gets less than under
a plain lottery over all fair panels (maximin is at least as fair as that, and usually far fairer)."""

import itertools
import random

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruitment.sortition import Applicant, Quota, QuotasCannotBeMet, draw, maximin, meets, quota_problems

GENDERS = ["kvinde", "mand"]
AGES = ["18-29", "30-59", "60+"]
COMPETENCES = ["data", "ledelse", "innovation"]


@st.composite
def pools(draw_):
    n = draw_(st.integers(min_value=4, max_value=9))
    seats = draw_(st.integers(min_value=2, max_value=min(4, n)))
    rng = random.Random(draw_(st.integers(0, 10_000)))
    applicants = [
        Applicant(
            key,
            {
                "køn": frozenset([rng.choice(GENDERS)]),
                "alder": frozenset([rng.choice(AGES)]),
                "kompetence": frozenset(rng.sample(COMPETENCES, rng.randint(0, 2))),
            },
        )
        for key in range(1, n + 1)
    ]
    # Targets around a panel that exists, so they can be met; some tight, some loose.
    reference = rng.sample(applicants, seats)
    quotas = []
    for feature, categories in (("køn", GENDERS), ("alder", AGES), ("kompetence", COMPETENCES)):
        for category in categories:
            q = Quota(feature, category, 0, 0)
            count = sum(a.has(q) for a in reference)
            quotas.append(Quota(feature, category, max(0, count - rng.randint(0, 1)), count + rng.randint(0, 1)))
    return applicants, quotas, seats


def fair_panels(applicants, quotas, seats):
    return [
        tuple(a.key for a in combo)
        for combo in itertools.combinations(applicants, seats)
        if meets([a.key for a in combo], applicants, quotas, seats)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pools(), st.text(min_size=1, max_size=12))
def test_the_lottery_draws_only_fair_panels_and_is_at_least_as_fair_as_a_plain_lottery(pool, seed):
    applicants, quotas, seats = pool
    lottery = maximin(applicants, quotas, seats)
    assert lottery.panels and abs(sum(lottery.probabilities) - 1) < 1e-6
    for panel in lottery.panels:
        assert meets(panel, applicants, quotas, seats)
    assert abs(sum(lottery.chances.values()) - seats) < 1e-6
    assert draw(lottery, seed) == draw(lottery, seed)
    assert meets(draw(lottery, seed), applicants, quotas, seats)

    every = fair_panels(applicants, quotas, seats)
    can_sit = {key for panel in every for key in panel}
    assert {k for k, chance in lottery.chances.items() if chance > 1e-9} <= can_sit
    plain = {k: sum(k in panel for panel in every) / len(every) for k in can_sit}
    lowest = min(lottery.chances[k] for k in can_sit)
    assert lowest >= min(plain.values()) - 1e-6


@translation.override("da")
def test_targets_that_cannot_be_met_are_named_in_danish():
    applicants = [Applicant(k, {"køn": frozenset(["mand"]), "alder": frozenset(["60+"])}) for k in range(1, 7)]
    quotas = [Quota("køn", "kvinde", 2, 3), Quota("alder", "60+", 0, 5)]
    problems = quota_problems(applicants, quotas, 4)
    assert "køn «kvinde»: mindst 2 ønskes, men kun 0 har søgt." in problems
    with pytest.raises(QuotasCannotBeMet) as caught:
        maximin(applicants, quotas, 4)
    assert caught.value.problems == problems
    # All are 60+: at most two of them cannot fill four seats.
    assert quota_problems(applicants, [Quota("alder", "60+", 0, 2)], 4) == [
        "alder: maksimumstallene giver tilsammen færre end 4 pladser."
    ]
    # Each target alone can be met, not both: two women (all young) and three over 60 (all men) are five.
    mixed = [Applicant(k, {"køn": frozenset(["mand"]), "alder": frozenset(["60+"])}) for k in range(1, 4)] + [
        Applicant(k, {"køn": frozenset(["kvinde"]), "alder": frozenset(["18-29"])}) for k in range(4, 7)
    ]
    both = [Quota("køn", "kvinde", 2, 4), Quota("alder", "60+", 3, 4)]
    assert quota_problems(mixed, both, 4) == ["Målene kan ikke opfyldes samtidig af de ansøgere, der har søgt."]


def test_a_greedy_outlier_still_gets_a_real_chance():
    """One woman among many men, a target of one woman per panel: she is on every fair panel (chance 1), and the
    men share the rest equally rather than by the order they applied in."""
    men = [Applicant(k, {"køn": frozenset(["mand"])}) for k in range(1, 10)]
    woman = Applicant(10, {"køn": frozenset(["kvinde"])})
    quotas = [Quota("køn", "kvinde", 1, 1), Quota("køn", "mand", 2, 2)]
    lottery = maximin([*men, woman], quotas, 3)
    assert lottery.chances[10] == pytest.approx(1.0)
    assert all(lottery.chances[m.key] == pytest.approx(2 / 9, abs=1e-6) for m in men)


@translation.override("en")
def test_and_in_english_for_staff_who_chose_english():
    applicants = [Applicant(k, {"køn": frozenset(["mand"])}) for k in range(1, 4)]
    assert quota_problems(applicants, [], 4) == ["There are 3 applicants for 4 seats."]
