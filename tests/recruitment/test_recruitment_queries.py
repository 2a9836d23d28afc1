"""The review list, an application, and the public call pages cost a fixed number of SQL queries, however many
applications, views and open calls there are (measured at a small and a large size)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee
from recruitment.models import Application, ApplicationView, Call
from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

# The most queries each page may cost, at any size: what it costs now, so a change that adds one fails here first.
MAX_QUERIES = {
    # session, user, call, "Sekretariat"?, caseworker?, the applications, the pool summary, audit log insert
    "review": 8,
    # session, user, call, "Sekretariat"?, caseworker?, the application, log insert, audit log insert, the log
    "application": 9,
    "calls": 2,  # open calls, recently closed calls (anonymous)
    "call": 1,  # the call with its committee and term (anonymous)
}
DISTRICTS = ["hellerup", "gentofte", "vangede", "ordrup", "charlottenlund", "udenfor"]
GENDERS = ["kvinde", "mand", "andet", "ikke_oplyst", ""]
COMPETENCES = ["Går i skole", "Er i job", "Er aktiv i foreningslivet"]


def add_applications(call, count: int, *, start: int = 0) -> list[Application]:
    now = timezone.now()
    return Application.objects.bulk_create(
        Application(
            call=call,
            name=f"Ansøger {i:03}",
            email=f"ansoeger{i:03}@example.org",
            postcode="2820",
            district=DISTRICTS[i % len(DISTRICTS)],
            birth_year=call.deadline_year - 13 - i % 13,
            gender=GENDERS[i % len(GENDERS)],
            competences=COMPETENCES[: i % 4],
            motivation="Jeg vil gerne være med.",
            consent_at=now,
            status="indstillet" if i % 3 == 0 else "modtaget",
            shortlist_reason="Godt match." if i % 3 == 0 else "",
            shortlisted_by=call.caseworkers.first() if i % 3 == 0 else None,
        )
        for i in range(start, start + count)
    )


def add_open_calls(term, count: int) -> list[Call]:
    """``count`` more open calls, each to its own recruiting task committee."""
    calls = []
    first = Committee.objects.count()
    for i in range(first, first + count):
        committee = Committee.objects.create(
            kind=Committee.Kind.TASK,
            term=term,
            name=f"Opgaveudvalg nr. {i:02}",
            slug=f"opgaveudvalg-{i:02}",
            seats=15,
            status=Committee.Status.RECRUITING,
        )
        calls.append(
            Call.objects.create(
                committee=committee,
                title=f"Bliv medlem af opgaveudvalg nr. {i:02}",
                competences=COMPETENCES,
                published_at=timezone.now() - dt.timedelta(days=1),
                deadline=timezone.now() + dt.timedelta(days=10 + i),
            )
        )
    return calls


def count_queries(client, url, **params) -> int:
    # Warm-up: the first request of a process also looks up content types for the audit log (cached after that).
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def assert_fixed(page: str, small: int, large: int) -> None:
    assert small == large, f"{page}: {small} queries at the small size, {large} at the large"
    assert large <= MAX_QUERIES[page], f"{page}: {large} queries, at most {MAX_QUERIES[page]} allowed"


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({}, id="all"),
        pytest.param({"district": "vangede", "age": "0-17", "gender": "kvinde", "sort": "name"}, id="filtered"),
        pytest.param({"status": "indstillet", "sort": "-birth_year"}, id="shortlisted"),
    ],
)
def test_review_list(client, staff, council, open_call, params):
    client.force_login(staff)
    url = reverse("recruitment:review", args=[open_call.pk])
    add_applications(open_call, 5)
    small = count_queries(client, url, **params)

    add_applications(open_call, 195, start=5)
    large = count_queries(client, url, **params)

    assert_fixed("review", small, large)


def test_application_detail(client, staff, council, open_call):
    """However many views the log shows (up to its 20) and however many applications the call has."""
    client.force_login(staff)
    first, *_rest = add_applications(open_call, 5)
    url = reverse("recruitment:application", args=[open_call.pk, first.pk])
    small = count_queries(client, url)

    add_applications(open_call, 195, start=5)
    viewers = [StaffUserFactory() for _ in range(30)]
    for user in viewers:
        ApplicationView.objects.create(application=first, call=open_call, application_name=first.name, user=user)
    large = count_queries(client, url)

    assert_fixed("application", small, large)


def test_public_call_list(client, term, council, open_call):
    url = reverse("recruitment:calls")
    add_open_calls(term, 1)  # with the fixture's call: 2 open calls
    small = count_queries(client, url)

    add_open_calls(term, 28)
    large = count_queries(client, url)

    assert Call.objects.count() == 30
    assert_fixed("calls", small, large)


def test_public_call_page(client, term, council, open_call):
    url = reverse("recruitment:call", args=[open_call.pk])
    add_open_calls(term, 1)
    add_applications(open_call, 5)
    small = count_queries(client, url)

    add_open_calls(term, 28)
    add_applications(open_call, 195, start=5)
    large = count_queries(client, url)

    assert_fixed("call", small, large)
