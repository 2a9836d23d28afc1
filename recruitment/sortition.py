"""Fair, stratified selection of a committee's citizen members: the maximin lottery of Flanigan et al. (Nature
596, 2021), on the open HiGHS solver.

Staff set a minimum and maximum of seats per category of the features the application asks (age band, gender,
district, the competences wanted). Among every panel of exactly ``seats`` applicants that meets all of them, the
lottery is the probability distribution that makes the least likely applicant as likely as possible, so nobody
who could sit on a fair panel is left with a chance near zero (greedy methods leave many there). The panel is then
drawn from that distribution with a recorded seed: the same inputs and seed give the same panel.

Why not the ``sortition-algorithms`` package: its licence (GPL-3.0) is compatible with the portal's (EUPL-1.2 lists
it), but it requires cvxpy, numpy 2.3, gspread, requests and the unmaintained oauth2client for spreadsheet features
the portal does not use. The maximin column generation is short on ``highspy`` (MIT) alone. README, "Fair
selection".

The method (the paper's column generation): the panels found so far are the columns of a linear programme that
maximises the lowest selection probability; its dual gives each applicant a weight, and an integer programme finds
the quota-meeting panel of greatest weight. If that panel weighs more than the programme's value it is added;
otherwise no panel can raise the minimum, and the distribution is optimal.
"""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

import highspy
import numpy as np
from django.utils.translation import gettext as _

EPSILON = 1e-7


@dataclass(frozen=True)
class Quota:
    """At least ``minimum`` and at most ``maximum`` panel members in ``category`` of ``feature``."""

    feature: str
    category: str
    minimum: int
    maximum: int


@dataclass(frozen=True)
class Applicant:
    """``features``: feature → the applicant's categories (one for age band, gender or district; any number of
    competences)."""

    key: int
    features: dict[str, frozenset[str]] = field(hash=False)

    def has(self, quota: Quota) -> bool:
        return quota.category in self.features.get(quota.feature, frozenset())


@dataclass
class Lottery:
    """The panels the lottery draws from, each with its probability, and each applicant's chance."""

    panels: list[tuple[int, ...]]
    probabilities: list[float]
    chances: dict[int, float]
    iterations: int = 0

    @property
    def lowest_chance(self) -> float:
        return min(self.chances.values()) if self.chances else 0.0


class QuotasCannotBeMet(ValueError):
    """The targets ask for what no panel of this pool can give; ``problems`` says which, in Danish."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def quota_problems(applicants: list[Applicant], quotas: list[Quota], seats: int) -> list[str]:
    """Why the targets cannot be met, one Danish sentence per target, or an empty list when a panel exists."""
    problems = []
    if len(applicants) < seats:
        problems.append(
            _("Der er %(pool)s ansøgere til %(seats)s pladser.") % {"pool": len(applicants), "seats": seats}
        )
    for q in quotas:
        pool = sum(a.has(q) for a in applicants)
        if q.minimum > q.maximum:
            problems.append(
                _("%(feature)s «%(category)s»: mindst %(minimum)s er flere end højst %(maximum)s.") % vars(q)
            )
        elif pool < q.minimum:
            problems.append(
                _("%(feature)s «%(category)s»: mindst %(minimum)s ønskes, men kun %(pool)s har søgt.")
                % {**vars(q), "pool": pool}
            )
        if q.minimum > seats:
            problems.append(
                _("%(feature)s «%(category)s»: mindst %(minimum)s er flere end de %(seats)s pladser.")
                % {**vars(q), "seats": seats}
            )
    by_feature: dict[str, list[Quota]] = {}
    for q in quotas:
        by_feature.setdefault(q.feature, []).append(q)
    for feature, feature_quotas in by_feature.items():
        single = all(len(a.features.get(feature, ())) <= 1 for a in applicants)
        if single and sum(q.minimum for q in feature_quotas) > seats:
            problems.append(
                _("%(feature)s: minimumstallene giver tilsammen flere end %(seats)s pladser.")
                % {"feature": feature, "seats": seats}
            )
        categories = {q.category for q in feature_quotas}
        uncovered = [a for a in applicants if not a.features.get(feature, frozenset()) & categories]
        if single and not uncovered and sum(q.maximum for q in feature_quotas) < seats:
            problems.append(
                _("%(feature)s: maksimumstallene giver tilsammen færre end %(seats)s pladser.")
                % {"feature": feature, "seats": seats}
            )
    if not problems and _best_panel(applicants, quotas, seats, {a.key: 1.0 for a in applicants}) is None:
        problems.append(_("Målene kan ikke opfyldes samtidig af de ansøgere, der har søgt."))
    return problems


class _PanelSearch:
    """The integer programme "the quota-meeting panel of greatest total weight", built once (a row for the size and
    one per target, bounded by its minimum and maximum) and solved again with new weights."""

    def __init__(self, applicants: list[Applicant], quotas: list[Quota], seats: int):
        self.keys = [a.key for a in applicants]
        n = len(applicants)
        starts, index, lower, upper = [0], list(range(n)), [seats], [seats]
        starts.append(n)
        self.possible = True
        for q in quotas:
            members = [i for i, a in enumerate(applicants) if a.has(q)]
            if not members:
                self.possible = self.possible and q.minimum <= 0
                continue
            index += members
            starts.append(len(index))
            lower.append(q.minimum)
            upper.append(q.maximum)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(lower)
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = np.zeros(n), np.zeros(n), np.ones(n)
        lp.row_lower_, lp.row_upper_ = np.array(lower, dtype=float), np.array(upper, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.ones(len(index))
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        self.highs = _solver()
        self.highs.passModel(lp)
        self.columns = np.arange(n, dtype=np.int32)

    def best(self, weights: dict[int, float]) -> tuple[int, ...] | None:
        if not self.possible:
            return None
        costs = np.array([weights.get(key, 0.0) for key in self.keys])
        self.highs.changeColsCost(len(self.keys), self.columns, costs)
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        values = self.highs.getSolution().col_value
        return tuple(sorted(key for key, value in zip(self.keys, values, strict=True) if value > 0.5))


def _solver() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


def _best_panel(applicants, quotas, seats, weights: dict[int, float]):
    return _PanelSearch(applicants, quotas, seats).best(weights)


class _Maximin:
    """The linear programme over the panels found so far, grown a column at a time (HiGHS starts again from the
    last basis): maximise z with every eligible applicant's chance at least z and the panels' probabilities
    summing to one."""

    def __init__(self, eligible: list[int]):
        self.row = {key: n + 1 for n, key in enumerate(eligible)}  # row 0: the probabilities sum to one
        self.highs = _solver()
        h, rows = self.highs, len(eligible) + 1
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        lower = np.zeros(rows)
        lower[0] = 1.0
        upper = np.full(rows, highspy.kHighsInf)
        upper[0] = 1.0
        h.addRows(rows, lower, upper, 0, np.array([], dtype=np.int32), np.array([], dtype=np.int32), np.array([]))
        z_rows = np.arange(1, rows, dtype=np.int32)
        h.addCol(1.0, 0.0, highspy.kHighsInf, len(z_rows), z_rows, -np.ones(len(z_rows)))
        self.panels: list[tuple[int, ...]] = []

    def add(self, panel: tuple[int, ...]) -> None:
        rows = np.array([0, *(self.row[key] for key in panel if key in self.row)], dtype=np.int32)
        self.highs.addCol(0.0, 0.0, highspy.kHighsInf, len(rows), rows, np.ones(len(rows)))
        self.panels.append(panel)

    def solve(self) -> tuple[list[float], float, dict[int, float]]:
        """(each panel's probability, the lowest chance, each applicant's weight from the dual)."""
        self.highs.run()
        solution = self.highs.getSolution()
        probabilities = [max(v, 0.0) for v in solution.col_value[1:]]
        weights = {key: max(-solution.row_dual[row], 0.0) for key, row in self.row.items()}
        return probabilities, solution.col_value[0], weights


def maximin(applicants: list[Applicant], quotas: list[Quota], seats: int, *, max_iterations: int = 2000) -> Lottery:
    """The maximin lottery over all panels of ``seats`` applicants meeting ``quotas``. Raises QuotasCannotBeMet."""
    problems = quota_problems(applicants, quotas, seats)
    if problems:
        raise QuotasCannotBeMet(problems)
    keys = [a.key for a in applicants]
    search = _PanelSearch(applicants, quotas, seats)
    rng = random.Random(0)  # starting panels only; the result does not depend on them
    panels: list[tuple[int, ...]] = []
    covered: set[int] = set()
    for _start in range(min(10, len(applicants))):
        panel = search.best({k: rng.random() for k in keys})
        if panel and panel not in panels:
            panels.append(panel)
            covered.update(panel)
    # Who can sit on some panel at all (the others the targets rule out, and no lottery can give them a chance):
    # the panel with the most applicants not yet seen, until it has none.
    while len(covered) < len(keys):
        panel = search.best({k: 0.0 if k in covered else 1.0 for k in keys})
        if panel is None or covered.issuperset(panel):
            break
        panels.append(panel)
        covered.update(panel)
    programme = _Maximin([k for k in keys if k in covered])
    for panel in panels:
        programme.add(panel)
    iterations = 0
    while True:
        iterations += 1
        probabilities, value, weights = programme.solve()
        norm = sum(weights.values()) or 1.0
        weights = {k: w / norm for k, w in weights.items()}
        # The dual's value is the lowest chance: only a panel weighing more can raise it.
        panel = search.best(weights)
        if panel is None or panel in programme.panels or iterations >= max_iterations:
            break
        if sum(weights.get(k, 0.0) for k in panel) <= value + EPSILON:
            break
        programme.add(panel)
    chances = {k: 0.0 for k in keys}
    kept = [(panel, prob) for panel, prob in zip(programme.panels, probabilities, strict=True) if prob > EPSILON]
    scale = sum(prob for _panel, prob in kept)
    kept = [(panel, prob / scale) for panel, prob in kept]
    for panel, prob in kept:
        for k in panel:
            chances[k] += prob
    return Lottery(
        panels=[panel for panel, _p in kept],
        probabilities=[prob for _panel, prob in kept],
        chances=chances,
        iterations=iterations,
    )


def draw(lottery: Lottery, seed: str) -> tuple[int, ...]:
    """One panel from the lottery, by a seed: the same lottery and seed always give the same panel."""
    rng = random.Random(seed)
    point, total = rng.random(), 0.0
    order = sorted(zip(lottery.panels, lottery.probabilities, strict=True))
    for panel, probability in order:
        total += probability
        if point < total:
            return panel
    return order[-1][0]


def meets(panel: Iterable[int], applicants: list[Applicant], quotas: list[Quota], seats: int) -> bool:
    """Whether a panel has the right size and meets every target (the check staff's own choice is held to)."""
    chosen = set(panel)
    if len(chosen) != seats:
        return False
    members = [a for a in applicants if a.key in chosen]
    return all(q.minimum <= sum(a.has(q) for a in members) <= q.maximum for q in quotas)
