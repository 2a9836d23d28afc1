"""The public search index (gentofte_portal.pages.search_index) follows the data through the services: what a change
publishes is found at once by anonymous visitors, what it closes or removes is gone at once, and never is a closed
item's text or its bilag in the index. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committees.models import Committee
from gentofte_portal.pages.models import SearchEntry
from meetings import services
from meetings.models import AgendaItem, Meeting, Minutes
from recruitment.models import Call
from tests.gentofte_portal.search_world import CPH, bilag, build_world
from tests.gentofte_portal.test_search import count, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def found(query: str, **params) -> int:
    return count(Client().get("/soeg/", {"q": query, **params}))


def index_text() -> str:
    """Every word the index holds, for checks that a secret is nowhere in it (not only not found by one query)."""
    return " ".join(" ".join([e.title, e.keywords, e.body]) for e in SearchEntry.objects.all())


def item_data(item: AgendaItem, **changes) -> dict:
    fields = services.ITEM_FIELDS
    return {name: getattr(item, name) for name in fields} | changes


def test_publishing_an_agenda_makes_its_items_findable(world):
    meeting = Meeting.objects.create(committee=world.task, starts_at=dt.datetime(2019, 9, 1, 17, tzinfo=CPH))
    services.agenda_item_add(meeting=meeting, data={"title": "Indekspubliceringsord"}, by=world.staff)
    assert found("Indekspubliceringsord") == 0

    services.agenda_publish(meeting=meeting, by=world.staff)

    assert found("Indekspubliceringsord") == 1


def test_closing_an_item_takes_its_text_and_bilag_out_at_once(world):
    assert found("Cykelparkering") == 1 and found("Bilagstekstord") == 1

    services.agenda_item_update(item=world.open_item, data=item_data(world.open_item, is_closed=True), by=world.staff)

    assert found("Cykelparkering") == 0  # its resumé
    assert found("Bilagstekstord") == 0 and found("Trafikplan", type="bilag") == 0  # its bilag, by text and by title
    assert found("dagsordener") == 0  # its title: publish level "Lukket" shows none
    text = index_text()
    assert "Cykelparkering" not in text and "Bilagstekstord" not in text and "Godkendelse" not in text


@pytest.mark.parametrize(
    ("level", "public_title", "finds_real_title", "finds_public_title"),
    [
        ("lukket", "", False, False),
        ("titel", "", True, False),
        ("titel_og_beslutning", "", True, False),
        ("anonymiseret", "Ansættelsessag", False, True),
    ],
)
def test_a_closed_items_publish_level_decides_the_one_title_found(
    world, level, public_title, finds_real_title, finds_public_title
):
    item = world.closed_item
    data = item_data(item, publish_level=level, public_title=public_title)
    services.agenda_item_update(item=item, data=data, by=world.staff)

    assert (found("Lukkethemmelighed") == 1) is finds_real_title
    assert (found("Ansættelsessag") == 1) is finds_public_title
    assert "Fortroligt" not in index_text()  # never its resumé
    assert "Lukketbilagsord" not in index_text() and "Lønbilag" not in index_text()  # nor its bilag

    # Back to "Lukket": nothing of it is found any more.
    services.agenda_item_update(item=item, data=item_data(item, publish_level="lukket"), by=world.staff)
    assert found("Lukkethemmelighed") == 0 and found("Ansættelsessag") == 0


def test_personal_data_hides_even_the_title_its_level_would_show(world):
    item = world.closed_item
    services.agenda_item_update(item=item, data=item_data(item, publish_level="titel"), by=world.staff)
    assert found("Lukkethemmelighed") == 1
    services.agenda_item_update(item=item, data=item_data(item, has_personal_data=True), by=world.staff)
    assert found("Lukkethemmelighed") == 0


def test_deleting_a_bilag_or_an_item_removes_it(world):
    services.attachment_delete(attachment=world.open_bilag, by=world.staff)
    assert found("Bilagstekstord") == 0 and found("Trafikplan", type="bilag") == 0
    assert found("Cykelparkering") == 1

    services.agenda_item_delete(item=world.open_item, by=world.staff)
    assert found("Cykelparkering") == 0
    assert not SearchEntry.objects.filter(kind="punkt", object_id=world.open_item.pk).exists()


def test_a_decision_is_found_once_the_referat_is_published(world):
    minutes = Minutes.objects.get(meeting=world.meeting)
    assert found("Beslutningsord") == 0
    minutes.status = Minutes.Status.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.save()
    assert found("Beslutningsord") == 1


def test_a_renamed_committee_is_found_and_shown_by_its_new_name(world):
    world.task.name = "Opgaveudvalget for Mobilitet"
    world.task.save()

    assert found("Mobilitet", type="udvalg") == 1
    section = results(Client().get("/soeg/", {"q": "Bilagstekstord"}))
    assert "Opgaveudvalget for Mobilitet" in section  # the bilag's context names the committee as it is now


def test_a_call_is_found_from_publication_until_its_deadline(world):
    now = timezone.now()
    Call.objects.create(
        committee=world.task, title="Fremtidigt opslag", text="Senereord", published_at=now + dt.timedelta(days=2),
        deadline=now + dt.timedelta(days=30),
    )  # fmt: skip
    Call.objects.create(
        committee=world.task, title="Udløbet opslag", text="Forbiord", published_at=now - dt.timedelta(days=30),
        deadline=now - dt.timedelta(days=1),
    )  # fmt: skip
    assert found("Opslagsord") == 1
    assert found("Senereord") == 0 and found("Forbiord") == 0
    # A committee appointed stops recruiting: its calls go with it.
    world.task.status = Committee.Status.ESTABLISHED
    world.task.save()
    assert found("Opslagsord") == 0


def test_a_rolled_back_change_leaves_the_index_as_it_was(world):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.agenda_item_update(
            item=world.open_item, data=item_data(world.open_item, title="Tilbagerulningsord"), by=world.staff
        )
        raise RuntimeError
    assert found("Tilbagerulningsord") == 0 and found("dagsordener") == 1


def test_the_command_rebuilds_the_same_rows_the_changes_made(world):
    services.agenda_item_update(
        item=world.closed_item, data=item_data(world.closed_item, publish_level="titel"), by=world.staff
    )
    bilag(world.open_item, "Ekstra bilag", "Ekstrabilagsord")

    def rows():
        return sorted(
            SearchEntry.objects.values_list("kind", "object_id", "committee_id", "term_id", "title", "body", "url")
        )

    followed = rows()
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert rows() == followed
    assert {kind for kind, *_ in followed} == {
        "udvalg",
        "kommissorium",
        "punkt",
        "lukket",
        "bilag",
        "referat",
        "opslag",
    }


def test_renumbering_moves_the_numbers_and_links_and_nothing_else(world):
    services.agenda_item_add(
        meeting=world.meeting, data={"title": "Nyt første punkt"}, by=world.staff, position="first"
    )

    section = results(Client().get("/soeg/", {"q": "Cykelparkering"}))
    assert "2. Godkendelse af dagsordener" in section and f"/moeder/{world.meeting.pk}/#punkt-2" in section
    bilag_row = SearchEntry.objects.get(kind="bilag", object_id=world.open_bilag.pk)
    assert bilag_row.details["n"] == 2
    rows = sorted(SearchEntry.objects.values_list("kind", "object_id", "title", "body", "url", "details"))
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert sorted(SearchEntry.objects.values_list("kind", "object_id", "title", "body", "url", "details")) == rows


def _queries(**params) -> int:
    client = Client()
    client.get("/soeg/", params)  # once first: what a first request loads once
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/soeg/", params).status_code == 200
    return len(ctx.captured_queries)


def test_an_anonymous_search_costs_the_same_queries_for_one_hit_and_for_many(world):
    for n in range(70):
        item = AgendaItem.objects.create(meeting=world.meeting, position=10 + n, title=f"Mangeord {n}")
        bilag(item, f"Mangeord bilag {n}", "Mangeord i teksten")
    one = _queries(q="Opslagsord")
    many = _queries(q="Mangeord")
    assert count(Client().get("/soeg/", {"q": "Mangeord"})) == 140
    assert one == many <= 8
