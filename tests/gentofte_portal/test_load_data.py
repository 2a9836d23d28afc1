"""manage.py generate_load_data makes exactly its scale's row counts, and the public pages answer on that data with
the same number of SQL queries at two scales: an N+1 query that only shows under load fails here."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committees.models import Committee
from gentofte_portal.devdata import loadgen
from meetings.models import Meeting
from recruitment.models import Call

pytestmark = pytest.mark.django_db

SMALL, LARGER = 0.002, 0.01


def generate(scale: float, *extra: str) -> str:
    out = io.StringIO()
    call_command("generate_load_data", "--scale", str(scale), "--seed", "7", *extra, stdout=out)
    return out.getvalue()


def public_pages() -> dict[str, str]:
    """The pages bench/http.py drives: the committee with the most meetings, the published referat with the most
    items, and an open call's form."""
    committee = Committee.objects.annotate(n=Count("meetings")).order_by("-n", "pk").first()
    meeting = (
        Meeting.objects.filter(agenda_published_at__isnull=False, minutes__status="offentliggjort")
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .first()
    )
    now = timezone.now()
    call = Call.objects.filter(published_at__lte=now, deadline__gt=now).order_by("pk").first()
    return {
        "home": "/",
        "committees": "/udvalg/",
        "committee": f"/udvalg/{committee.slug}/",
        "meetings": "/moeder/",
        "meetings, page 2": "/moeder/?side=2",
        "meeting": f"/moeder/{meeting.pk}/",
        "calls": "/opslag/",
        "call": f"/opslag/{call.pk}/",
        "application form": f"/opslag/{call.pk}/ansoeg/",
        "search": "/soeg/?q=budget",
    }


def query_counts(client) -> dict[str, int]:
    counts = {}
    for name, url in public_pages().items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(queries)
    return counts


def test_the_figures_scale_and_round_half_up_with_at_least_one_of_each():
    assert loadgen.figures(1) == {
        "terms": 10,
        "committees": 300,
        "meetings": 5_000,
        "agenda_items": 100_000,
        "applications": 50_000,
    }
    assert loadgen.figures(0.01) == {
        "terms": 1,
        "committees": 3,
        "meetings": 50,
        "agenda_items": 1_000,
        "applications": 500,
    }
    assert loadgen.figures(0.05)["terms"] == 1  # 0.5 rounds up
    # Never less than one of each, and a standing and a task committee.
    assert loadgen.figures(0.0001) == {
        "terms": 1,
        "committees": 2,
        "meetings": 1,
        "agenda_items": 10,
        "applications": 5,
    }


def test_generate_makes_exactly_the_scales_row_counts():
    output = generate(SMALL)

    assert loadgen.generated_counts() == loadgen.figures(SMALL)
    assert loadgen.figures(SMALL) == {
        "terms": 1,
        "committees": 2,
        "meetings": 10,
        "agenda_items": 200,
        "applications": 100,
    }
    assert "Færdig på" in output
    # Both kinds of committee, an open call, and meetings both held (with minutes) and to come.
    assert set(Committee.objects.values_list("kind", flat=True)) == {"staaende", "opgave"}
    now = timezone.now()
    assert Call.objects.filter(published_at__lte=now, deadline__gt=now).exists()
    assert Meeting.objects.filter(starts_at__lt=now, minutes__status="offentliggjort").exists()
    assert Meeting.objects.filter(starts_at__gte=now).exists()


def test_a_second_run_is_refused_unless_forced_and_then_adds_a_second_set():
    generate(SMALL)
    with pytest.raises(CommandError, match="allerede belastningsdata"):
        generate(SMALL)

    generate(SMALL, "--force")

    assert loadgen.generated_counts() == {key: 2 * n for key, n in loadgen.figures(SMALL).items()}


class _Discard(Exception):
    pass


def test_public_pages_answer_and_cost_the_same_queries_at_two_scales(client):
    with pytest.raises(_Discard), transaction.atomic():
        generate(SMALL)
        small = query_counts(client)
        raise _Discard  # roll the small set back, so the larger one stands alone

    generate(LARGER)
    larger = query_counts(client)

    assert larger == small
    assert Meeting.objects.count() == loadgen.figures(LARGER)["meetings"]  # the rollback left nothing behind
