"""The OParl 1.1 API (issue 15) as a client of the standard sees it: crawled from /oparl/v1.1/ over every list, page
by page, on the demo data and on generated data, every object validated against the official schemas and the
spec's prose rules (tests/oparl/validator.py, crawler.py). Then the rules a crawl alone cannot see: filters exact
at their boundaries and kept in the paging links, omit_internal, ETag and 304, a closed item's text and bilag
nowhere at any publish level, no personal data beyond the public pages, and deleted objects as the spec says."""

import datetime as dt
import io
import re
import time
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from committees.models import CommitteeMembership, Person
from gentofte_portal.devdata.meetings import minimal_pdf
from meetings import services
from meetings.models import AgendaItem, Attendance
from recruitment.models import Application
from tests.factories import PartyFactory, TaskCommitteeFactory, TermFactory
from tests.oparl.crawler import BODY_LISTS, START, crawl, list_all, with_query
from tests.oparl.validator import OBJECT_TYPES, parse_date_time, type_name, validate_object

pytestmark = pytest.mark.django_db
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
# Small enough to be quick, large enough that the agenda item list has several pages of about 100.
SCALE = "0.004"


def assert_clean(result) -> None:
    assert result.problems == [], result.problem_report()


def generated():
    """The load generator's data at a small scale. So small a scale may have no deliverable approved under an
    item (the generator approves only those of committees with published agendas): one is added then."""
    call_command("generate_load_data", "--scale", SCALE, "--seed", "3", stdout=io.StringIO())
    ensure_a_consultation()


def ensure_a_consultation():
    from committees.models import Deliverable
    from meetings.models import AgendaItem, DeliverableApproval

    if not DeliverableApproval.objects.exists():
        item = AgendaItem.objects.filter(meeting__agenda_published_at__isnull=False, is_closed=False).first()
        deliverable = Deliverable.objects.create(
            committee=item.meeting.committee,
            number=99,
            title="Anbefalinger",
            handed_over_on=item.meeting.starts_at.date(),
        )
        DeliverableApproval.objects.create(deliverable=deliverable, item=item)


# --- The whole API, crawled ------------------------------------------------------------------------------------------


def test_the_demo_data_crawls_clean_with_every_type(client):
    call_command("load_demo", verbosity=0)
    result = crawl(client)
    assert_clean(result)
    assert {name: result.seen[name] for name in OBJECT_TYPES if not result.seen[name]} == {}, dict(result.seen)


def test_generated_data_crawls_clean_over_several_pages(client):
    generated()
    result = crawl(client)
    assert_clean(result)
    missing = [name for name in OBJECT_TYPES if not result.seen[name]]
    assert missing == [], dict(result.seen)
    assert result.seen["AgendaItem"] > 200
    assert max(n for key, n in result.pages.items() if key.endswith(" agendaItem")) > 1, result.pages


class _Discard(Exception):
    pass


def list_page_queries(client) -> dict[str, list[int]]:
    """The SQL queries of each page of each Body list (several pages where the list is long)."""
    counts = {}
    for key, url in body_lists(client).items():
        counts[key] = []
        while url and len(counts[key]) < 3:
            parts = urlsplit(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
            assert response.status_code == 200, f"GET {url}: {response.status_code}"
            counts[key].append(len(queries))
            url = response.json().get("links", {}).get("next")
    return counts


def test_each_list_page_costs_the_same_queries_at_two_scales(client):
    """Issue 15, "cheap to crawl": a list page costs a fixed number of queries whatever the data, so an N+1 that
    only shows under load fails here (as tests/gentofte_portal/test_load_data.py does for the pages)."""
    with pytest.raises(_Discard), transaction.atomic():
        call_command("generate_load_data", "--scale", "0.001", "--seed", "3", stdout=io.StringIO())
        ensure_a_consultation()  # the same kinds of object at both scales: only the amount differs
        small = list_page_queries(client)
        raise _Discard  # roll the small set back, so the larger one stands alone
    generated()
    larger = list_page_queries(client)
    assert {key: counts[0] for key, counts in larger.items()} == {key: counts[0] for key, counts in small.items()}
    for key, counts in larger.items():
        assert len(set(counts)) == 1, f"{key}: the pages cost {counts} queries"


# --- Filters, paging, omit_internal ----------------------------------------------------------------------------------


def get_json(client, url: str):
    """The JSON at ``url``, or a failure that says what answered instead."""
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200, f"GET {url}: {response.status_code}, expected 200"
    assert response["Content-Type"].startswith("application/json"), f"GET {url}: {response['Content-Type']}"
    return response.json()


def body_lists(client) -> dict[str, str]:
    """The list URLs of the first Body (discovered, not guessed)."""
    body = get_json(client, get_json(client, START)["body"])["data"][0]
    return {key: body[key] for key in BODY_LISTS}


def spec_time(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def assert_query_kept(result, **params) -> None:
    """Every page's links.next keeps the client's parameters, value for value (OParl 1.1, 2.5 "Filter")."""
    for url, page in result.documents.items():
        next_url = page.get("links", {}).get("next")
        if next_url:
            query = parse_qs(urlsplit(next_url).query)
            for key, value in params.items():
                assert query.get(key) == [value], f"links.next of {url} lost {key}={value}: {next_url}"


@pytest.mark.parametrize("field", ["created", "modified"])
def test_filters_are_exact_at_their_boundaries_and_kept_in_the_paging_links(client, field):
    generated()
    for key, url in body_lists(client).items():
        everything, result = list_all(client, url)
        assert_clean(result)
        assert everything, f"{key}: an empty list cannot test its filters"
        times = sorted({parse_date_time(o[field]) for o in everything})
        boundary = times[len(times) // 2]
        second = dt.timedelta(seconds=1)
        cases = {
            (f"{field}_since", boundary): lambda t, b=boundary: t >= b,
            (f"{field}_until", boundary): lambda t, b=boundary: t <= b,
            (f"{field}_since", boundary + second): lambda t, b=boundary: t > b,
            (f"{field}_until", boundary - second): lambda t, b=boundary: t < b,
            # The same instant written in UTC is the same boundary.
            (f"{field}_since", boundary.astimezone(dt.UTC)): lambda t, b=boundary: t >= b,
        }
        pages = 0
        for (param, value), keep in cases.items():
            text = spec_time(value)
            filtered, result = list_all(client, with_query(url, **{param: text}))
            pages = max(pages, len(result.documents))
            assert_clean(result)
            expected = [o["id"] for o in everything if keep(parse_date_time(o[field]))]
            assert [o["id"] for o in filtered] == expected, f"{key} {param}={text}"
            assert_query_kept(result, **{param: text})
        if key == "agendaItem":
            assert pages > 1 or len(everything) <= 100, "the filter test needs a paged list"


def test_filters_together_and_paging_keep_every_parameter(client):
    generated()
    url = body_lists(client)["agendaItem"]
    everything, _ = list_all(client, url)
    times = sorted(parse_date_time(o["modified"]) for o in everything)
    since, until = spec_time(times[0]), spec_time(times[-1])
    params = {"modified_since": since, "modified_until": until, "created_until": spec_time(times[-1])}
    filtered, result = list_all(client, with_query(url, **params))
    assert_clean(result)
    assert [o["id"] for o in filtered] == [o["id"] for o in everything]
    assert len(result.documents) > 1, "expected several pages of agenda items"
    assert_query_kept(result, **params)


# OParl 1.1, 2.5 "Filter": with omit_internal=true the server leaves out exactly these internal lists.
INTERNAL_LISTS = {
    "AgendaItem": {"auxiliaryFile"},
    "Meeting": {"auxiliaryFile", "agendaItem"},
    "Paper": {"auxiliaryFile", "location"},
    "Person": {"membership"},
    "Body": {"legislativeTerm"},
}


def test_omit_internal_leaves_out_the_internal_lists_and_nothing_else(client):
    generated()
    for key, url in body_lists(client).items():
        everything, _ = list_all(client, url)
        omitted, result = list_all(client, with_query(url, omit_internal="true"))
        assert_clean(result)
        assert [o["id"] for o in omitted] == [o["id"] for o in everything], key
        for full, short in zip(everything, omitted, strict=True):
            left_out = INTERNAL_LISTS.get(type_name(full), set())
            assert short == {k: v for k, v in full.items() if k not in left_out}, f"{key}: {short['id']}"
        assert_query_kept(result, omit_internal="true")
    bodies = get_json(client, with_query(get_json(client, START)["body"], omit_internal="true"))["data"]
    assert all("legislativeTerm" not in body for body in bodies)


def test_etag_and_last_modified_answer_if_none_match_with_304(client):
    call_command("load_demo", verbosity=0)
    urls = [START]
    body = get_json(client, get_json(client, START)["body"])["data"][0]
    urls += [urlsplit(body["id"]).path, urlsplit(body["meeting"]).path]
    meeting = get_json(client, body["meeting"])["data"][0]
    urls.append(urlsplit(meeting["id"]).path)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get("ETag") and response.get("Last-Modified"), f"{url}: {dict(response.headers)}"
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url
        assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200, url


# --- What must not be there -----------------------------------------------------------------------------------------


def staff_user() -> User:
    user = User.objects.create_user("signe", password="pw-12345-abc")
    user.groups.add(Group.objects.get(name="Sekretariat"))
    return user


def committee_with_members():
    committee = TaskCommitteeFactory(
        term=TermFactory(starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2021, 12, 31)),
        name="Opgaveudvalg om Innovation",
        slug="innovation",
    )
    party = PartyFactory(letter="C")
    seats = []
    for name, kind, role in [("Anne Holm", "politiker", "formand"), ("Carl Dam", "borger", "medlem")]:
        person = Person.objects.create(name=name, email=f"{name.split()[0].lower()}@privat.example.dk")
        seats.append(
            CommitteeMembership.objects.create(
                committee=committee,
                person=person,
                member_kind=kind,
                role=role,
                party=party,
                starts_on=dt.date(2018, 9, 1),
            )
        )
    return committee, seats


def pdf_upload(marker: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{marker}.pdf", minimal_pdf(marker), content_type="application/pdf")


LEVELS = [
    (AgendaItem.PublishLevel.CLOSED, False),
    (AgendaItem.PublishLevel.TITLE, False),
    (AgendaItem.PublishLevel.ANONYMISED, False),
    (AgendaItem.PublishLevel.TITLE_AND_DECISION, False),
    (AgendaItem.PublishLevel.TITLE_AND_DECISION, True),  # personal data overrides the level
]


def meeting_with_every_publish_level(by, *, minutes: bool, second_open_item: bool = False):
    """A held meeting with an open item (1) and a closed item at each publish level (2-6), each with a bilag and a
    unique word in every text field, and optionally a second open item (7); the agenda published and, if
    ``minutes``, the referat too."""
    committee, seats = committee_with_members()
    meeting = services.meeting_create(
        committee=committee,
        starts_at=dt.datetime(2019, 3, 14, 17, 0, tzinfo=CPH),
        location="Udvalgsværelse G",
        kind="ordinaert",
        by=by,
    )
    items = [services.agenda_item_add(meeting=meeting, data={"title": "AABENTPUNKT titel"}, by=by)]
    for i, (level, personal) in enumerate(LEVELS):
        items.append(
            services.agenda_item_add(
                meeting=meeting,
                data={
                    "title": f"LUKKETTITEL{i} om en sag",
                    "is_closed": True,
                    "publish_level": level,
                    "public_title": f"ANONYMTITEL{i}",
                    "has_personal_data": personal,
                    "summary": f"LUKKETRESUME{i}",
                    "recommendation": f"LUKKETINDSTILLING{i}",
                    "earlier_decisions": f"LUKKETTIDLIGERE{i}",
                },
                by=by,
            )
        )
    if second_open_item:
        items.append(services.agenda_item_add(meeting=meeting, data={"title": "AABENTPUNKT2 titel"}, by=by))
    for item in items:
        marker = f"{'LUKKET' if item.is_closed else 'AABENT'}BILAG{item.position}"
        services.attachment_add(item=item, upload=pdf_upload(marker), title=marker, by=by)
    services.agenda_publish(meeting=meeting, by=by)
    if minutes:
        decisions = {item.pk: f"BESLUTNING{item.position}" for item in items}
        attendance = {seats[0].person_id: ("tilstede", False), seats[1].person_id: ("fravaerende", True)}
        saved = services.minutes_save(
            meeting=meeting, attendance=attendance, decisions=decisions, remarks="", ended_at=dt.time(19), by=by
        )
        services.minutes_approve(minutes=saved, by=by)
        services.minutes_publish(minutes=saved, by=by)
    return meeting, seats


def crawls(client):
    """The crawl as an anonymous visitor and as staff: the API is public and shows everyone the same."""
    staff_client = Client()
    staff_client.force_login(User.objects.get(username="signe"))
    return {"anonymous": crawl(client), "staff": crawl(staff_client)}


def test_a_closed_items_text_and_bilag_are_nowhere_beyond_its_publish_level(client):
    meeting, _ = meeting_with_every_publish_level(staff_user(), minutes=True)
    for who, result in crawls(client).items():
        assert_clean(result)
        text, files = result.text(), result.files_text()
        assert "AABENTPUNKT titel" in text and "AABENTBILAG" in text and b"AABENTBILAG" in files, who
        for item in meeting.items.filter(is_closed=True):
            item.refresh_from_db()
            title, decision = item.public_view()
            i = item.position - 2
            never = [f"LUKKETRESUME{i}", f"LUKKETINDSTILLING{i}", f"LUKKETTIDLIGERE{i}"]
            never += [f"LUKKETBILAG{item.position}"]
            never += [f"/bilag/{a.pk}/" for a in item.attachments.all()]
            never += [] if title and "LUKKETTITEL" in title else [f"LUKKETTITEL{i}"]
            never += [] if title and "ANONYMTITEL" in title else [f"ANONYMTITEL{i}"]
            never += [] if decision else [f"BESLUTNING{item.position}"]
            leaked = [word for word in never if word in text]
            assert leaked == [], f"{who}: {item.publish_level}, personal data {item.has_personal_data}: {leaked}"
            assert f"LUKKETBILAG{item.position}".encode() not in files, who
            assert all(title in text for title in [title, decision and f"BESLUTNING{item.position}"] if title), (
                f"{who}: {item.publish_level} allows {title!r} / {decision!r}, which the API should show"
            )


def test_no_personal_data_beyond_the_public_pages(client):
    generated()
    for person in Person.objects.all():
        person.email = f"person{person.pk}@privat.example.dk"
        person.save(update_fields=["email"])
    for a in Application.objects.all():
        a.name, a.email, a.phone = f"Ansoegernavn{a.pk} Hemmelig", f"ansoeger{a.pk}@privat.example.dk", "39 98 00 00"
        a.motivation, a.shortlist_reason = f"MOTIVATION{a.pk}", f"BEGRUNDELSE{a.pk}"
        a.save(update_fields=["name", "email", "phone", "motivation", "shortlist_reason"])
    assert Application.objects.exists() and Attendance.objects.filter(sent_apologies=True).exists()
    result = crawl(client)
    assert_clean(result)
    text = result.text()
    assert re.findall(r"[\w.+-]+@privat\.example\.dk", text) == []
    assert re.findall(r"Ansoegernavn\d+|MOTIVATION\d+|BEGRUNDELSE\d+|39 98 00 00", text) == []
    assert "afbud" not in text.lower() and "apolog" not in text.lower()


# --- Deleted objects --------------------------------------------------------------------------------------------------


def find(result, kind: str, **fields) -> dict:
    found = [
        o for o in result.objects.values() if type_name(o) == kind and all(o.get(k) == v for k, v in fields.items())
    ]
    assert len(found) == 1, f"expected one {kind} with {fields}, found {len(found)}"
    return found[0]


def test_deleted_objects_answer_as_deleted_show_only_with_modified_since_and_move_their_container(client):
    staff = staff_user()
    meeting, seats = meeting_with_every_publish_level(staff, minutes=False, second_open_item=True)
    before = crawl(client)
    assert_clean(before)
    item = find(before, "AgendaItem", name="AABENTPUNKT titel")
    file = find(before, "File", name="AABENTBILAG7")
    file_holder = find(before, "AgendaItem", name="AABENTPUNKT2 titel")
    person = find(before, "Person", name="Carl Dam")
    membership = find(before, "Membership", person=person["id"])
    organization = before.objects[membership["organization"]]
    meeting_obj = before.objects[item["meeting"]]

    time.sleep(1.1)  # the spec's date-times have whole seconds: let "modified" move visibly
    deleted_at = dt.datetime.now(CPH).replace(microsecond=0)
    open_item = meeting.items.get(title="AABENTPUNKT titel")
    services.attachment_delete(attachment=meeting.items.get(title="AABENTPUNKT2 titel").attachments.get(), by=staff)
    services.agenda_item_delete(item=open_item, by=staff)
    CommitteeMembership.objects.filter(person__name="Carl Dam").delete()

    after = crawl(client)
    assert_clean(after)
    since = spec_time(deleted_at)
    for gone, container in [(item, meeting_obj), (file, file_holder), (membership, organization)]:
        answer = client.get(urlsplit(gone["id"]).path)
        assert answer.status_code == 200, f"{gone['id']}: {answer.status_code} (a deleted object must still answer)"
        tomb = answer.json()
        assert validate_object(tomb) == [] and tomb.get("deleted") is True, tomb
        assert (tomb["id"], tomb["type"]) == (gone["id"], gone["type"])
        assert parse_date_time(tomb["modified"]) >= deleted_at, tomb
        assert tomb.get("created", gone["created"]) == gone["created"], "a deleted object keeps its created (2.8)"
        assert gone["id"] not in after.objects, f"{gone['id']} still listed without modified_since"
        assert gone["id"] not in after.text(), f"{gone['id']} still referenced somewhere"
        kind = type_name(gone)
        list_key = next(k for k, v in BODY_LISTS.items() if v == kind)
        lists = body_lists(client)
        changed, result = list_all(client, with_query(lists[list_key], modified_since=since))
        assert_clean(result)
        assert tomb in changed, f"{gone['id']} not in its list with modified_since={since}"
        now = after.objects[container["id"]]
        assert parse_date_time(now["modified"]) > parse_date_time(container["modified"]), (
            f"{container['id']}: modified did not move when {gone['id']} was deleted"
        )


def test_an_item_closed_after_publication_takes_its_bilag_out_and_opening_it_brings_them_back(client):
    """Depublishing: the bilag the API showed of an item that is then closed answer deleted (listed to
    modified_since), the item shows only "Lukket"; opened again, the same URLs show the bilag again."""
    staff = staff_user()
    meeting, _seats = meeting_with_every_publish_level(staff, minutes=False)
    before = crawl(client)
    file = find(before, "File", name="AABENTBILAG1")
    item = find(before, "AgendaItem", name="AABENTPUNKT titel")

    time.sleep(1.1)
    closed_at = dt.datetime.now(CPH).replace(microsecond=0)
    open_item = meeting.items.get(title="AABENTPUNKT titel")
    services.agenda_item_update(item=open_item, data={"title": open_item.title, "is_closed": True}, by=staff)
    after = crawl(client)
    assert_clean(after)
    assert "AABENTBILAG1" not in after.text() and "AABENTPUNKT titel" not in after.text()
    tomb = client.get(urlsplit(file["id"]).path).json()
    assert tomb["deleted"] is True and parse_date_time(tomb["modified"]) >= closed_at
    changed, _result = list_all(client, with_query(body_lists(client)["file"], modified_since=spec_time(closed_at)))
    assert tomb in changed
    now = after.objects[item["id"]]
    assert now["public"] is False and now["name"] == "Lukket" and "auxiliaryFile" not in now

    services.agenda_item_update(item=open_item, data={"title": open_item.title, "is_closed": False}, by=staff)
    again = client.get(urlsplit(file["id"]).path).json()
    assert "deleted" not in again and again["name"] == "AABENTBILAG1"
