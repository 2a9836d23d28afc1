"""Read-side queries for the public committee pages. Each returns everything a page needs in a fixed number of
queries, whatever the number of committees and members."""

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Committee, CommitteeMembership, Deliverable, Mandate, Term

ROLE_ORDER = Case(
    When(role=CommitteeMembership.Role.CHAIR, then=Value(0)),
    When(role=CommitteeMembership.Role.VICE_CHAIR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
ACTIVE_TASK_STATUSES = [
    Committee.Status.PROPOSED,
    Committee.Status.MANDATE_APPROVED,
    Committee.Status.RECRUITING,
    Committee.Status.ESTABLISHED,
]


def terms_all() -> QuerySet[Term]:
    return Term.objects.order_by("-starts_on")


def term_current(*, today=None) -> Term | None:
    """The term sitting now: the latest that has begun (or, before any has begun, the earliest planned)."""
    today = today or timezone.localdate()
    return Term.objects.filter(starts_on__lte=today).order_by("-starts_on").first() or (
        Term.objects.order_by("starts_on").first()
    )


def committees_for_term(*, term: Term) -> QuerySet[Committee]:
    """Committees of one term with the standing committees that proposed them."""
    return (
        Committee.objects.filter(term=term)
        .prefetch_related(Prefetch("proposed_by", queryset=Committee.objects.only("id", "name", "slug")))
        .order_by("kind", "name")
    )


def task_committees_active(*, limit: int | None = None) -> QuerySet[Committee]:
    """Task committees not yet closed, newest first, for the front page."""
    qs = (
        Committee.objects.filter(kind=Committee.Kind.TASK, status__in=ACTIVE_TASK_STATUSES)
        .select_related("term")
        .order_by("-starts_on", "name")
    )
    return qs[:limit] if limit else qs


def task_committees_recently_closed(*, limit: int = 6) -> QuerySet[Committee]:
    return (
        Committee.objects.filter(kind=Committee.Kind.TASK, status=Committee.Status.CLOSED)
        .select_related("term")
        .order_by("-ends_on", "name")[:limit]
    )


def memberships_ordered() -> QuerySet[CommitteeMembership]:
    return (
        CommitteeMembership.objects.select_related("person", "party")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "-member_kind", "person__name")
    )


def committee_detail(*, slug: str, deliverables: QuerySet[Deliverable] | None = None) -> Committee:
    """One committee with members (chair first, with party), proposers, the task committees it proposed and its
    deliverables (its meetings: meetings.selectors.meetings_for_committee). ``deliverables`` lets the page that
    composes the apps prefetch them with what another app adds to each, in the same one query."""
    return get_object_or_404(
        Committee.objects.select_related("term").prefetch_related(*_detail_prefetches(deliverables)), slug=slug
    )


def committee_detail_load(committee: Committee, *, deliverables: QuerySet[Deliverable] | None = None) -> Committee:
    """What committee_detail adds, loaded onto a committee already fetched (with its term): for a page that needs
    only the committee itself until its cached fragments are rendered."""
    prefetch_related_objects([committee], *_detail_prefetches(deliverables))
    return committee


def _detail_prefetches(deliverables) -> list[Prefetch]:
    return [
        Prefetch("memberships", queryset=memberships_ordered(), to_attr="members"),
        Prefetch("proposed_by", queryset=Committee.objects.order_by("name")),
        Prefetch("proposed_task_committees", queryset=Committee.objects.order_by("-starts_on", "name")),
        Prefetch("deliverables", queryset=deliverables if deliverables is not None else Deliverable.objects.all()),
        Prefetch(
            "mandates",
            queryset=Mandate.objects.filter(status=Mandate.Status.PUBLISHED).order_by("-revision"),
            to_attr="published_mandates",
        ),
    ]


def mandate_published(*, committee: Committee):
    """The mandate the public sees: the newest published revision (drafts and comments never)."""
    return Mandate.objects.filter(committee=committee, status=Mandate.Status.PUBLISHED).order_by("-revision").first()


def mandates_visible(*, user) -> QuerySet[Mandate]:
    """The mandates this user may read, as one filter (for the search): published revisions for everyone; every
    revision for staff; the drafts put to a politician's standing committee (permissions.can_view_mandate_draft)."""
    from .permissions import current_politician_memberships, is_secretariat

    if is_secretariat(user):
        return Mandate.objects.all()
    public = Q(status=Mandate.Status.PUBLISHED)
    if not user.is_authenticated or not user.is_active:
        return Mandate.objects.filter(public)
    standing_ids = current_politician_memberships(user).values("committee_id")
    discussed = Q(status=Mandate.Status.IN_DISCUSSION) & Q(
        Exists(
            Committee.proposed_by.through.objects.filter(
                from_committee=OuterRef("committee_id"), to_committee__in=standing_ids
            )
        )
    )
    return Mandate.objects.filter(public | discussed)


def mandates_beyond_public(*, user) -> QuerySet[Mandate]:
    """The mandates this user may read and the public may not (mandates_visible less the published revisions): the
    drafts put to a politician's standing committee. The logged-in search adds these to the public search index."""
    return mandates_visible(user=user).exclude(status=Mandate.Status.PUBLISHED)


def mandates_for_workspace(*, user, status: str = "", committee_slug: str = ""):
    """What the workspace lists: every mandate for staff; for a politician, the drafts put to their standing
    committee for discussion (the same rule as permissions.can_view_mandate_draft)."""
    from django.db.models import Count

    from .permissions import current_politician_memberships, is_secretariat

    qs = Mandate.objects.select_related("committee", "committee__term", "updated_by").annotate(
        comment_count=Count("comments", distinct=True)
    )
    if not is_secretariat(user):
        standing_ids = current_politician_memberships(user).values("committee_id")
        qs = qs.filter(status=Mandate.Status.IN_DISCUSSION, committee__proposed_by__in=standing_ids).distinct()
    if status:
        qs = qs.filter(status=status)
    if committee_slug:
        qs = qs.filter(committee__slug=committee_slug)
    return qs.order_by("status", "committee__name", "-revision")


def mandate_detail(*, pk: int):
    return get_object_or_404(
        Mandate.objects.select_related("committee", "committee__term", "updated_by").prefetch_related(
            Prefetch("committee__proposed_by", queryset=Committee.objects.order_by("name")),
            "comments__author",
            "transitions__by",
        ),
        pk=pk,
    )


def mandate_basic(*, pk: int):
    return get_object_or_404(Mandate.objects.select_related("committee", "committee__term"), pk=pk)


def mandate_versions(*, mandate):
    return mandate.history.select_related("history_user").order_by("-history_date", "-history_id")


def committee_choices(*, include_ended: bool = False, keep=None, today=None) -> list[tuple[str, list[tuple]]]:
    """Committees to choose from, grouped by term with the sitting term first (then the others, newest first),
    standing committees before task committees, by name. Ended committees (closed, or of a term before the sitting
    one) are left out unless asked for, except ``keep`` (the pk already chosen). Two queries."""
    today = today or timezone.localdate()
    current = term_current(today=today)
    rows = Committee.objects.select_related("term").order_by("-term__starts_on", "-kind", "name")  # staaende first
    groups: dict[Term, list[tuple]] = {}
    for committee in rows:
        ended = committee_is_archived(committee, current=current)
        if ended and not include_ended and str(committee.pk) != str(keep):
            continue
        groups.setdefault(committee.term, []).append((committee.pk, committee.name))
    ordered = sorted(groups, key=lambda term: (term != current, -term.starts_on.toordinal()))
    return [(str(term), groups[term]) for term in ordered]


def committee_is_archived(committee: Committee, *, current: Term | None) -> bool:
    """Ended: closed, or of a term before the sitting one. Lists for choices and the workspace put these last or
    leave them out; the public pages keep them (the archive is public)."""
    return committee.status == Committee.Status.CLOSED or (
        current is not None and committee.term.starts_on < current.starts_on
    )
