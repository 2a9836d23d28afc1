"""Read-side queries for recruitment. Staff lists come only from here, filtered by the same rule as the detail
views (permissions.can_view_applications)."""

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from committees.models import Committee

from .models import Allocation, Application, Call, LotDraw, SelectionDraw, SelectionTarget


def calls_published() -> QuerySet[Call]:
    """Calls published for a committee not yet appointed: open to the public from ``published_at`` until
    ``deadline`` (calls_open). The clock's part is left to the caller, for the public search index, which keeps a
    call with its publication and deadline instead of being rebuilt when either passes."""
    return Call.objects.filter(published_at__isnull=False, committee__status__in=Committee.RECRUITING_STATUSES)


def calls_open(*, now=None) -> QuerySet[Call]:
    """Calls the public can apply to now: published, deadline not passed, committee not yet appointed."""
    now = now or timezone.now()
    return (
        calls_published()
        .filter(published_at__lte=now, deadline__gt=now)
        .select_related("committee")
        .order_by("deadline")
    )


def calls_recently_closed(*, now=None, limit: int = 10) -> QuerySet[Call]:
    now = now or timezone.now()
    return (
        Call.objects.filter(published_at__isnull=False, published_at__lte=now)
        .filter(Q(deadline__lte=now) | ~Q(committee__status__in=Committee.RECRUITING_STATUSES))
        .select_related("committee")
        .order_by("-deadline")[:limit]
    )


def call_public(*, pk: int, now=None) -> Call | None:
    """A published call (open or closed); never a draft."""
    now = now or timezone.now()
    return (
        Call.objects.select_related("committee", "committee__term")
        .filter(pk=pk, published_at__isnull=False, published_at__lte=now)
        .first()
    )


def applications_for_call(*, call: Call, filters: dict | None = None) -> QuerySet[Application]:
    filters = filters or {}
    qs = call.applications.select_related("shortlisted_by")
    if filters.get("district"):
        qs = qs.filter(district=filters["district"])
    if filters.get("gender") == "ikke_oplyst":
        qs = qs.filter(gender__in=["ikke_oplyst", ""])  # as the pool summary counts them
    elif filters.get("gender"):
        qs = qs.filter(gender=filters["gender"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("age"):
        low, high = (int(x) for x in filters["age"].split("-"))
        year = call.deadline_year
        qs = qs.filter(birth_year__gte=year - high, birth_year__lte=year - low)
    if filters.get("competence"):
        # JSON containment is not portable across SQLite and PostgreSQL for lists; filter in Python on ids.
        rows = qs.select_related(None).values_list("pk", "competences")
        ids = [pk for pk, competences in rows if filters["competence"] in competences]
        qs = qs.filter(pk__in=ids)
    return qs.order_by(filters.get("sort") or "created_at", "pk")


AGE_BANDS = [(0, 17, "under 18"), (18, 29, "18–29"), (30, 49, "30–49"), (50, 64, "50–64"), (65, 150, "65+")]


def applicant_pool_summary(*, call: Call) -> dict:
    """How the pool covers the wanted competences, and its spread of age, gender and district, so staff can
    recruit broadly. One query."""
    rows = list(call.applications.values("competences", "birth_year", "gender", "district", "status"))
    year = call.deadline_year
    competence_counts = Counter(c for r in rows for c in r["competences"])
    ages = Counter(
        next((label for low, high, label in AGE_BANDS if low <= year - r["birth_year"] <= high), "?") for r in rows
    )
    from .models import DISTRICTS, Gender

    district_labels = dict(DISTRICTS)
    gender_labels = dict(Gender.choices)
    return {
        "total": len(rows),
        "shortlisted": sum(r["status"] in (Application.Status.SHORTLISTED, Application.Status.APPOINTED) for r in rows),
        "competences": [(c, competence_counts.get(c, 0)) for c in call.competences],
        "ages": [(label, ages.get(label, 0)) for _low, _high, label in AGE_BANDS],
        "genders": [
            (gender_labels.get(g, g), n) for g, n in Counter(r["gender"] or "ikke_oplyst" for r in rows).most_common()
        ],
        "districts": [(district_labels.get(d, d), n) for d, n in Counter(r["district"] for r in rows).most_common()],
    }


def lot_draws(*, committee) -> list[LotDraw]:
    """Every draw of the committee, kept or superseded, newest first (for staff: seeds are not shown here)."""
    return list(
        LotDraw.objects.filter(committee=committee).select_related("created_by", "superseded_by").order_by("-number")
    )


def lot_public(*, committee) -> dict:
    """What the public committee page shows of the allocation and its lot: the current kontrolværdi from the moment
    the call opens, and once the allocation is confirmed, the seats per group, each lot and its seed, so anyone can
    verify the draw (README, "Lodtrækning"); superseded draws with their reason and seed. Two queries."""
    draws = list(LotDraw.objects.filter(committee=committee).order_by("number"))
    for draw, successor in zip(draws, draws[1:], strict=False):
        draw.superseded_reason = successor.reason  # the reason is given when the next draw is made
    allocation = (
        Allocation.objects.filter(committee=committee).select_related("lot_draw").order_by("-confirmed_at").first()
    )
    return {
        "current": next((d for d in draws if d.superseded_at is None), None),
        "superseded": [d for d in draws if d.superseded_at is not None],
        "allocation": allocation,
    }


def calls_with_counts(*, committee):
    """A committee's calls, newest first, each with how many have applied (``n_applications``) and how many are
    shortlisted or appointed (``n_shortlisted``): the recruitment overview's figures, in one query."""
    chosen = [Application.Status.SHORTLISTED, Application.Status.APPOINTED]
    return committee.calls.annotate(
        n_applications=Count("applications"),
        n_shortlisted=Count("applications", filter=Q(applications__status__in=chosen)),
    ).order_by("-published_at")


def selection_pool(*, call: Call) -> tuple[list[Application], bool]:
    """The applicants the fair lottery draws among, and whether they are the shortlisted ones: the shortlisted
    ("indstillet") when there are any, else every received application. One query."""
    statuses = [Application.Status.RECEIVED, Application.Status.SHORTLISTED]
    rows = list(
        call.applications.filter(status__in=statuses)
        .only("pk", "call_id", "name", "birth_year", "gender", "district", "competences", "status")
        .order_by("name", "pk")
    )
    shortlisted = [a for a in rows if a.status == Application.Status.SHORTLISTED]
    return (shortlisted, True) if shortlisted else (rows, False)


def selection_targets(*, call: Call) -> list[SelectionTarget]:
    return list(SelectionTarget.objects.filter(call=call))


def selection_draws(*, call: Call) -> list[SelectionDraw]:
    """Every draw of the call's panel, kept or superseded, newest first."""
    return list(
        SelectionDraw.objects.filter(call=call).select_related("created_by", "superseded_by").order_by("-number")
    )


def selection_panel_members(*, call: Call, draw: SelectionDraw) -> list[Application | None]:
    """The drawn panel's applications in the order drawn; None for one deleted since (withdrawn). One query."""
    found = call.applications.only("pk", "call_id", "name", "birth_year", "district", "status").in_bulk(draw.panel)
    return [found.get(key) for key in draw.panel]


def selection_draw_for_appointment(*, committee, user) -> SelectionDraw | None:
    """The newest kept draw among the committee's calls whose applicants ``user`` may see: what pre-fills the
    appointment form."""
    from .permissions import can_view_applications

    calls = [c.pk for c in committee.calls.all() if can_view_applications(user, c)]
    return SelectionDraw.objects.filter(call__in=calls, superseded_at__isnull=True).order_by("-created_at").first()
