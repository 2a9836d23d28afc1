"""Fair selection of a call's citizen members (issue 16): staff's targets, the maximin lottery's proposal, and the
draw, recorded like the D'Hondt lot (services.lots).

- The features are those the application asks: age band (from the year of birth, counted in the deadline's year),
  gender, district and the competences wanted in the call. An applicant without a gender counts as "Ønsker ikke at
  oplyse", as the review page's summary counts them.
- The pool is the call's shortlisted applicants when there are any ("indstillet"), else every received one.
- The draw: a secret seed of 32 random bytes, its SHA-256 (the kontrolværdi) kept with it, and the panel drawn by
  ``sortition.draw`` with a seed derived from SHA-256(seed + the canonical inputs). Everything needed to replay it is
  stored (``selection_replay``): the same inputs and seed always give the same panel.
- Once drawn, the panel stands; a new draw only through "Ny lodtrækning" with a written reason, and the draw it
  replaces stays on record, superseded.
- Staff keep the last word: the kept panel only pre-fills the appointment form (``selection_appointment_initial``).
"""

import hashlib
import json
import secrets

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import sortition
from ..models import DISTRICTS, Application, Call, Gender, SelectionDraw, SelectionTarget
from ..permissions import can_view_applications

REASON_MIN_LENGTH = 10
# (lowest age, highest age, key); the key is also the label.
AGE_BANDS = [(0, 17, "under 18"), (18, 29, "18–29"), (30, 44, "30–44"), (45, 59, "45–59"), (60, 74, "60–74")]
AGE_BANDS.append((75, 200, "75+"))
# The feature names the lottery and its Danish reasons use (sortition.quota_problems names them).
AGE, GENDER, DISTRICT, COMPETENCE = (f.value for f in SelectionTarget.Feature)
FEATURE_NAMES = {AGE: "Alder", GENDER: "Køn", DISTRICT: "Bydel", COMPETENCE: "Kompetence"}


def age_band(age: int) -> str:
    return next((key for low, high, key in AGE_BANDS if low <= age <= high), AGE_BANDS[-1][2])


def selection_categories(*, call: Call) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Each feature staff can set targets for: (feature, its label, [(category key, label)])."""
    return [
        (AGE, _("Alder"), [(key, key) for _low, _high, key in AGE_BANDS]),
        (GENDER, _("Køn"), [(str(k), str(v)) for k, v in Gender.choices]),
        (DISTRICT, _("Bydel"), [(k, str(v)) for k, v in DISTRICTS]),
        (COMPETENCE, _("Kompetencer"), [(c, c) for c in call.competences]),
    ]


def applicant_features(application: Application, *, year: int) -> dict[str, list[str]]:
    """The applicant's category of each feature (any number of competences)."""
    return {
        AGE: [age_band(year - application.birth_year)],
        GENDER: [application.gender or Gender.UNDISCLOSED.value],
        DISTRICT: [application.district],
        COMPETENCE: sorted(set(application.competences)),
    }


def selection_inputs(*, call: Call, pool: list[Application], targets: list[SelectionTarget]) -> dict:
    """What the lottery depends on, and nothing else: the seats, the targets, and each pooled applicant by id with
    their categories. Stored with the draw, so it can be replayed."""
    year = call.deadline_year
    return {
        "seats": call.committee.citizen_seats,
        "targets": sorted([t.feature, t.category, t.minimum, t.maximum] for t in targets),
        "pool": [{"key": a.pk, "features": applicant_features(a, year=year)} for a in sorted(pool, key=lambda a: a.pk)],
    }


def canonical(inputs: dict) -> str:
    return json.dumps(inputs, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _labels() -> dict[tuple[str, str], str]:
    """Category keys to their Danish names (gender and district; ages and competences are their own names)."""
    labels = {(GENDER, str(k)): str(v) for k, v in Gender.choices}
    labels.update({(DISTRICT, k): str(v) for k, v in DISTRICTS})
    return labels


def lottery_problem(inputs: dict) -> tuple[list[sortition.Applicant], list[sortition.Quota], int]:
    """The inputs as the lottery takes them; a quota names its feature and category in Danish, so the lottery's
    reasons can be shown to staff as they are."""
    labels = _labels()
    applicants = [
        sortition.Applicant(
            key=row["key"],
            features={
                FEATURE_NAMES[feature]: frozenset(labels.get((feature, c), c) for c in categories)
                for feature, categories in row["features"].items()
            },
        )
        for row in inputs["pool"]
    ]
    quotas = [
        sortition.Quota(FEATURE_NAMES[feature], labels.get((feature, category), category), minimum, maximum)
        for feature, category, minimum, maximum in inputs["targets"]
    ]
    return applicants, quotas, inputs["seats"] or 0


def selection_problems(inputs: dict) -> list[str]:
    """Why the targets cannot be met by this pool (Danish, one sentence each), or [] when a panel exists."""
    if not inputs["seats"]:
        return [_("Kommissoriet angiver ikke, hvor mange borgere udvalget skal have.")]
    return sortition.quota_problems(*lottery_problem(inputs))


LOTTERY_CACHE_SECONDS = 3600


def selection_lottery(inputs: dict, *, cached: bool = True) -> sortition.Lottery:
    """The maximin lottery for these inputs. Raises sortition.QuotasCannotBeMet. Kept in the cache by the inputs'
    hash (ids and categories, no names) for an hour: with 300 applicants it takes seconds, and the page, the draw
    and a reload all ask for the same one. The lottery is a function of the inputs alone, so the cache changes no
    outcome; ``selection_replay`` computes it afresh."""
    if not cached:
        return sortition.maximin(*lottery_problem(inputs))
    key = "selection-lottery:" + hashlib.sha256(canonical(inputs).encode()).hexdigest()
    lottery = cache.get(key)
    if lottery is None:
        lottery = sortition.maximin(*lottery_problem(inputs))
        cache.set(key, lottery, LOTTERY_CACHE_SECONDS)
    return lottery


def derived_seed(*, seed: str, inputs: dict) -> str:
    return hashlib.sha256(f"{seed}:{canonical(inputs)}".encode()).hexdigest()


def selection_replay(*, inputs: dict, seed: str) -> list[int]:
    """The panel a draw with these inputs and seed gives: anyone with the record can check it."""
    return list(sortition.draw(selection_lottery(inputs, cached=False), derived_seed(seed=seed, inputs=inputs)))


def panel_fit(*, inputs: dict, panel: list[int]) -> list[dict]:
    """Each target with how many of the panel are in its category, and whether that is within the target."""
    chosen = set(panel)
    feature_labels = dict(SelectionTarget.Feature.choices)
    rows = []
    for feature, category, minimum, maximum in inputs["targets"]:
        n = sum(1 for row in inputs["pool"] if row["key"] in chosen and category in row["features"].get(feature, []))
        rows.append(
            {
                "feature": feature,
                "feature_label": feature_labels.get(feature, feature),
                "category": _labels().get((feature, category), category),
                "minimum": minimum,
                "maximum": maximum,
                "chosen": n,
                "ok": minimum <= n <= maximum,
            }
        )
    return rows


@transaction.atomic
def selection_targets_save(*, call: Call, targets: list[tuple[str, str, int, int]], by) -> list[SelectionTarget]:
    """Replace the call's targets: (feature, category, minimum, maximum), each checked (full_clean)."""
    if not can_view_applications(by, call):
        raise PermissionDenied
    rows = [SelectionTarget(call=call, feature=f, category=c, minimum=lo, maximum=hi) for f, c, lo, hi in targets]
    for row in rows:
        row.full_clean(exclude=["call"], validate_constraints=False)
        if row.minimum > row.maximum:
            raise ValidationError(_("Mindst kan ikke være større end højst."))
    # Row by row, so the audit log tells which targets went and which came.
    for old in SelectionTarget.objects.filter(call=call):
        old.delete()
    for row in rows:
        row.save()
    return rows


def _draw(*, call: Call, number: int, inputs: dict, by, reason: str = "") -> SelectionDraw:
    if not inputs["targets"]:
        raise ValidationError(_("Sæt mindst ét mål, før panelet trækkes."))
    problems = selection_problems(inputs)
    if problems:
        raise ValidationError(problems)
    lottery = selection_lottery(inputs)
    seed = secrets.token_hex(32)
    panel = list(sortition.draw(lottery, derived_seed(seed=seed, inputs=inputs)))
    return SelectionDraw.objects.create(
        call=call,
        number=number,
        seed=seed,
        commitment=hashlib.sha256(seed.encode()).hexdigest(),
        inputs=inputs,
        chances={str(k): round(v, 6) for k, v in lottery.chances.items()},
        lottery={"panels": [list(p) for p in lottery.panels], "probabilities": lottery.probabilities},
        panel=panel,
        reason=reason,
        created_by=by,
    )


def _locked_call(call: Call, by) -> Call:
    if not can_view_applications(by, call):
        raise PermissionDenied
    locked = Call.objects.select_for_update().select_related("committee").get(pk=call.pk)
    if not locked.committee.is_recruiting:
        raise ValidationError(_("Der kan kun trækkes lod, mens udvalget rekrutterer."))
    return locked


@transaction.atomic
def selection_draw(*, call: Call, inputs: dict, by) -> SelectionDraw:
    """Draw the panel, once: a second "Træk panelet" is refused (a new draw needs ``selection_redraw``)."""
    call = _locked_call(call, by)
    if SelectionDraw.objects.filter(call=call, superseded_at__isnull=True).exists():
        raise ValidationError(_("Panelet er allerede trukket. En ny lodtrækning kræver en begrundelse."))
    try:
        with transaction.atomic():
            return _draw(call=call, number=1 + SelectionDraw.objects.filter(call=call).count(), inputs=inputs, by=by)
    except IntegrityError as exc:  # drawn at the same moment by another request: theirs stands
        raise ValidationError(_("Panelet er allerede trukket. En ny lodtrækning kræver en begrundelse.")) from exc


@transaction.atomic
def selection_redraw(*, call: Call, inputs: dict, reason: str, by) -> SelectionDraw:
    """ "Ny lodtrækning": only with a written reason; the draw it replaces stays, superseded."""
    call = _locked_call(call, by)
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError(
            {
                "reason": _("Skriv en begrundelse for den nye lodtrækning (mindst %(n)s tegn).")
                % {"n": REASON_MIN_LENGTH}
            }
        )
    current = SelectionDraw.objects.filter(call=call, superseded_at__isnull=True).first()
    if current is None:
        raise ValidationError(_("Panelet er ikke trukket endnu."))
    problems = selection_problems(inputs)
    if problems:
        raise ValidationError(problems)
    current.superseded_at = timezone.now()
    current.superseded_by = by
    current.save(update_fields=["superseded_at", "superseded_by"])
    return _draw(call=call, number=current.number + 1, inputs=inputs, by=by, reason=reason)


def selection_appointment_initial(
    *, draw: SelectionDraw | None, seats: dict[str, int], citizen_seats: int | None, shortlisted_ids: set[int]
) -> dict[str, str]:
    """The appointment form's citizen fields pre-filled from the kept panel: each drawn, shortlisted applicant given a
    group's seat, the citizens spread over the groups in proportion to their seats (largest remainder). Only a
    suggestion: the groups decide whose seats they are, and staff change any of it before appointing."""
    if draw is None:
        return {}
    panel = [key for key in draw.panel if key in shortlisted_ids]
    groups = [g for g, n in seats.items() if n]
    total = sum(seats[g] for g in groups)
    if not panel or not total:
        return {}
    n_citizens = citizen_seats or len(panel)
    shares = {g: n_citizens * seats[g] / total for g in groups}
    counts = {g: int(shares[g]) for g in groups}
    by_remainder = sorted(groups, key=lambda g: (-(shares[g] - counts[g]), -seats[g], g))
    for g in by_remainder[: n_citizens - sum(counts.values())]:
        counts[g] += 1
    slots = [g for g in sorted(groups, key=lambda g: (-seats[g], g)) for _ in range(min(counts[g], seats[g]))]
    return {f"borger-{key}": group for key, group in zip(panel, slots, strict=False)}


def selection_overview(*, call: Call, pool: list[Application], targets: list[SelectionTarget]) -> dict:
    """What the selection page shows: the pool's count per category, the targets' problems, and once targets are
    set and can be met, the lottery's proposal: each applicant's chance, the lowest, and a plain draw's chance."""
    inputs = selection_inputs(call=call, pool=pool, targets=targets)
    counts: dict[tuple[str, str], int] = {}
    for row in inputs["pool"]:
        for feature, categories in row["features"].items():
            for category in categories:
                counts[(feature, category)] = counts.get((feature, category), 0) + 1
    seats = inputs["seats"] or 0
    problems = selection_problems(inputs) if targets or not seats or len(pool) < seats else []
    proposal = None
    if targets and not problems:
        lottery = selection_lottery(inputs)
        proposal = {
            "rows": sorted(
                ((a, lottery.chances.get(a.pk, 0.0) * 100) for a in pool), key=lambda r: (r[1], r[0].name, r[0].pk)
            ),
            "lowest": lottery.lowest_chance * 100,
            "plain": seats / len(pool) * 100 if pool else 0.0,
            "panels": len(lottery.panels),
        }
    return {"inputs": inputs, "counts": counts, "problems": problems, "proposal": proposal, "seats": seats}
