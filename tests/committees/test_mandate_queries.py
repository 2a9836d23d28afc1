"""The workspace and the public kommissorium pages cost a fixed number of SQL queries, however many mandates,
versions, comments and status changes there are (measured with 1 mandate of 2 versions and 50 of 20)."""

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from committees.models import Committee, Mandate, MandateComment, MandateTransition
from tests.factories import (
    CommitteeFactory,
    MandateFactory,
    PoliticianUserFactory,
    StaffUserFactory,
    TaskCommitteeFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

S = Mandate.Status
MANY_MANDATES, MANY_VERSIONS = 50, 20


@dataclass
class World:
    term: object
    proposing: Committee
    other: Committee
    staff: list[User]
    politician: User
    target: Mandate
    mandates: list[Mandate] = field(default_factory=list)


def new_mandate(world: World, status: str, proposer: Committee, n: int) -> Mandate:
    committee = TaskCommitteeFactory(term=world.term, name=f"Opgaveudvalg for emne {n:02}", status="forslag")
    committee.proposed_by.set([proposer])
    mandate = MandateFactory(committee=committee, status=status, updated_by=world.staff[n % len(world.staff)])
    world.mandates.append(mandate)
    return mandate


def add_versions(world: World, mandates: list[Mandate], count: int) -> None:
    """Save each mandate ``count`` more times with a small change, by changing staff (one version per save)."""
    start = timezone.now()
    for i in range(count):
        user = world.staff[i % len(world.staff)]
        for mandate in mandates:
            mandate.purpose += f" Tilføjelse {i}."
            mandate.purpose_html = f"<p>{mandate.purpose}</p>"
            mandate.lock_version += 1
            mandate.updated_by = user
            mandate._history_user = user
            mandate._change_reason = f"Redigeret ({i})"
            mandate._history_date = start + dt.timedelta(minutes=i + 1)
        bulk_update_with_history(mandates, Mandate, ["purpose", "purpose_html", "lock_version", "updated_by"])


def add_discussion(mandate: Mandate, *, commenters: list[User], staff: list[User], comments: int, transitions: int):
    """Comments by different people on different sections, and status changes by different staff."""
    sections = itertools.cycle(["purpose", "task", "deliverables", "composition", "economy"])
    MandateComment.objects.bulk_create(
        MandateComment(
            mandate=mandate, section=next(sections), author=commenters[i % len(commenters)], text=f"Kommentar {i}."
        )
        for i in range(comments)
    )
    MandateTransition.objects.bulk_create(
        MandateTransition(
            mandate=mandate,
            name="send_til_droeftelse" if i % 2 == 0 else "tilbage_til_kladde",
            from_status=S.DRAFT if i % 2 == 0 else S.IN_DISCUSSION,
            to_status=S.IN_DISCUSSION if i % 2 == 0 else S.DRAFT,
            by=staff[i % len(staff)],
        )
        for i in range(transitions)
    )


def small_world(target_status: str) -> World:
    """One mandate with two versions, one comment and one status change."""
    term = TermFactory(starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2025, 12, 31))
    proposing = CommitteeFactory(term=term, name="Kultur- og Fritidsudvalget")
    other = CommitteeFactory(term=term, name="Teknik- og Miljøudvalget")
    staff = [StaffUserFactory() for _ in range(3)]
    politician = PoliticianUserFactory(seat=proposing)
    world = World(term, proposing, other, staff, politician, target=None)
    world.target = new_mandate(world, target_status, proposing, 0)
    if target_status in (S.APPROVED, S.PUBLISHED):
        world.target.approved_on = dt.date(2023, 3, 27)
        world.target.approval_reference = "Kommunalbestyrelsen 27.03.2023, punkt 4"
    add_versions(world, [world.target], 1)
    add_discussion(world.target, commenters=[politician], staff=staff, comments=1, transitions=1)
    return world


def grow(world: World, mandates: int = MANY_MANDATES, versions: int = MANY_VERSIONS) -> None:
    """Up to ``mandates`` mandates in every status (half proposed by the politician's committee), each with
    ``versions`` versions, and comments by several politicians and status changes by several staff on many."""
    commenters = [world.politician] + [PoliticianUserFactory(seat=world.proposing) for _ in range(3)]
    statuses = itertools.cycle(S.values)
    for n in range(1, mandates):
        mandate = new_mandate(world, next(statuses), world.proposing if n % 2 else world.other, n)
        if n % 3 == 0:
            add_discussion(mandate, commenters=commenters, staff=world.staff, comments=4, transitions=2)
    add_versions(world, world.mandates[1:], versions - 1)
    add_versions(world, [world.target], versions - 2)
    add_discussion(world.target, commenters=commenters, staff=world.staff, comments=12, transitions=6)


def compare_url(mandate: Mandate) -> str:
    ids = mandate.history.order_by("history_date").values_list("history_id", flat=True)
    return reverse("committees:mandate_compare", args=[mandate.pk]) + f"?a={ids.first()}&b={ids.last()}"


# page: (who asks, the status of the mandate the page is about, the URL)
PAGES = {
    "workspace, staff": ("staff", S.IN_DISCUSSION, lambda m: reverse("committees:workspace")),
    "workspace, politician": ("politician", S.IN_DISCUSSION, lambda m: reverse("committees:workspace")),
    "mandate detail, staff": ("staff", S.IN_DISCUSSION, lambda m: reverse("committees:mandate_detail", args=[m.pk])),
    "history, staff": ("staff", S.IN_DISCUSSION, lambda m: reverse("committees:mandate_history", args=[m.pk])),
    "compare, staff": ("staff", S.IN_DISCUSSION, compare_url),
    "public kommissorium": (None, S.PUBLISHED, lambda m: reverse("committees:mandate_public", args=[m.committee.slug])),
    "public committee page": (None, S.PUBLISHED, lambda m: reverse("pages:committee", args=[m.committee.slug])),
}
# Measured on SQLite: the same with 1 mandate of 2 versions as with 50 of 20 (a change here should be deliberate).
QUERY_BUDGET = {
    "workspace, staff": 5,  # session, user, group check, mandates (with comment counts), the sitting term (archive)
    "workspace, politician": 6,  # ... plus the check for a current seat
    "mandate detail, staff": 9,  # session, user, mandate, proposers, comments, authors, transitions, by, group check
    "history, staff": 6,  # session, user, group check, mandate with committee, versions with their users, ...
    "compare, staff": 7,  # session, user, group check, mandate with committee, the two versions, ...
    "public kommissorium": 2,  # committee, newest published mandate
    "public committee page": 9,  # committee with term, members, proposers, task committees, meetings, ..., the lot's draws and allocation
}


def login(client, world: World, who: str | None):
    if who == "staff":
        client.force_login(world.staff[0])
    elif who == "politician":
        client.force_login(world.politician)
    return client


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_shows_everything(page: str, html: str, world: World) -> None:
    """The page under the budget is the whole page: every mandate, version and comment it should list."""
    detail_links = set(re.findall(r'href="/arbejde/kommissorier/(\d+)/"', html))
    if page == "workspace, staff":
        assert detail_links == {str(m.pk) for m in world.mandates}
    elif page == "workspace, politician":
        put_to_them = Mandate.objects.filter(status=S.IN_DISCUSSION, committee__proposed_by=world.proposing)
        assert len(put_to_them) > 1
        assert detail_links == {str(m.pk) for m in put_to_them}
    elif page == "history, staff":
        assert html.count('name="a"') == MANY_VERSIONS
    elif page == "mandate detail, staff":
        assert len(re.findall(r"Kommentar \d+\.", html)) == 13
    elif page in ("public kommissorium", "public committee page"):
        assert world.target.purpose_html in html


@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_is_fixed(client, django_assert_max_num_queries, page):
    who, status, url_for = PAGES[page]
    world = small_world(status)
    login(client, world, who)
    few = count_queries(client, url_for(world.target))

    grow(world)
    url = url_for(world.target)
    with django_assert_max_num_queries(QUERY_BUDGET[page]) as many:
        response = client.get(url)

    assert response.status_code == 200
    assert len(many) == few, f"{page}: {few} queries with 1 mandate, {len(many)} with {MANY_MANDATES}"
    assert_shows_everything(page, response.content.decode(), world)
