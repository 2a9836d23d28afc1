"""The secretariat plans a meeting in Danish time and builds, orders and publishes its agenda; later changes are
kept as versions and shown as "ændret" with the time."""

import datetime as dt
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committees.models import Deliverable
from meetings import services
from meetings.models import AgendaItem, Attachment, Meeting, Minutes

pytestmark = pytest.mark.django_db

UTC = dt.UTC
XSS = "<script>alert('xss')</script>"


def page(response) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


OWN_SCRIPT = re.compile(r'<script src="/static/js/[a-z-]+\.js" defer></script>')


def raw(response) -> str:
    return response.content.decode()


def builder_url(meeting) -> str:
    return reverse("meetings:builder", args=[meeting.pk])


def public_url(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def item_data(**overrides) -> dict:
    """What the item form posts; ``is_closed=True`` ticks the checkbox."""
    data = {"title": "Punkt", "case_number": "", "summary": "", "recommendation": "", "earlier_decisions": ""}
    closed = overrides.pop("is_closed", False)
    data.update(overrides)
    if closed:
        data["is_closed"] = "on"
    return data


def post_item(client, meeting, **fields):
    return client.post(reverse("meetings:item_add", args=[meeting.pk]), item_data(**fields))


def agenda(meeting) -> list[tuple[int, str]]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("position", "title"))


def move(client, item, direction: str):
    return client.post(reverse("meetings:item_move", args=[item.meeting_id, item.pk]), {"retning": direction})


def delete(client, item):
    return client.post(reverse("meetings:item_delete", args=[item.meeting_id, item.pk]), {"bekraeft": "ja"})


def publish(client, meeting, **kwargs):
    return client.post(reverse("meetings:publish", args=[meeting.pk]), {"bekraeft": "ja"}, **kwargs)


# --- Planning a meeting ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "utc", "shown"),
    [
        ("2019-06-12T17:00", "ordinaert", dt.datetime(2019, 6, 12, 15, 0, tzinfo=UTC), "12-06-2019 17:00"),
        ("2019-01-15T17:00", "ekstraordinaert", dt.datetime(2019, 1, 15, 16, 0, tzinfo=UTC), "15-01-2019 17:00"),
    ],
    ids=["summer-ordinary", "winter-extraordinary"],
)
def test_a_meeting_is_planned_in_danish_time(staff_client, committee, typed, kind, utc, shown):
    response = staff_client.post(
        reverse("meetings:create"),
        {"committee": committee.pk, "starts_at": typed, "location": "Udvalgsværelse G", "kind": kind},
    )

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == builder_url(meeting)
    assert meeting.starts_at == utc
    assert (meeting.committee, meeting.location, meeting.kind) == (committee, "Udvalgsværelse G", kind)
    builder = page(staff_client.get(builder_url(meeting)))
    assert f"Dagsorden: {committee.name}, {shown}" in builder
    assert "Mødet er oprettet. Byg nu dagsordenen." in builder


def test_an_extraordinary_meeting_says_so_on_the_public_page(staff_client, client, meeting, add_item):
    meeting.kind = Meeting.Kind.EXTRAORDINARY
    meeting.save()
    add_item(meeting, "Eneste punkt")
    publish(staff_client, meeting)

    text = page(client.get(public_url(meeting)))

    assert "14-03-2019 17:00 (ekstraordinært møde)" in text
    assert "Udvalgsværelse G" in text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("starts_at", "", "Dette felt er påkrævet."),
        ("starts_at", "31.12.2019 kl. 17", "Indtast gyldig dato/tid."),
        ("starts_at", "2019-02-30T17:00", "Indtast gyldig dato/tid."),
        # 02:30 on the last Sunday of March does not exist in Denmark; 02:30 in late October happens twice.
        ("starts_at", "2019-03-31T02:30", "kunne ikke fortolkes i tidszonen Europe/Copenhagen"),
        ("starts_at", "2019-10-27T02:30", "kunne ikke fortolkes i tidszonen Europe/Copenhagen"),
        ("location", "", "Dette felt er påkrævet."),
        ("location", "x" * 201, "Denne værdi må højst have 200 tegn (den har 201)."),
        ("kind", "hemmeligt", "Marker en gyldig valgmulighed."),
        ("committee", "999999", "Marker en gyldig valgmulighed."),
    ],
)
def test_bad_meeting_input_is_refused_in_danish(staff_client, committee, field, value, message):
    data = {"committee": committee.pk, "starts_at": "2019-06-12T17:00", "location": "Rådhuset", "kind": "ordinaert"}
    data[field] = value

    response = staff_client.post(reverse("meetings:create"), data)

    assert response.status_code == 400
    assert message in page(response)
    assert not Meeting.objects.exists()


# --- Building the agenda -----------------------------------------------------------------------------------------------


def test_an_item_is_added_with_case_number_texts_and_recommendation_list(staff_client, client, meeting):
    response = post_item(
        staff_client,
        meeting,
        title="Godkendelse af leverance 1: politisk model",
        case_number="EMN-2018-00651",
        summary="Udvalget skal:\n\n- drøfte **modellen**\n- godkende den",
        recommendation="Sekretariatet indstiller, at leverancen godkendes.\n- at den sendes til KB",
        earlier_decisions="Udvalget drøftede modellen *30. november 2017*.",
    )
    assert response.status_code == 302
    post_item(staff_client, meeting, title="Sag om ejendom", case_number="15/7111", is_closed=True)

    first, second = AgendaItem.objects.filter(meeting=meeting).order_by("position")
    assert (first.position, first.case_number, first.is_closed) == (1, "EMN-2018-00651", False)
    assert (second.position, second.case_number, second.is_closed) == (2, "15/7111", True)
    builder = page(staff_client.get(builder_url(meeting)))
    assert "1. Godkendelse af leverance 1: politisk model" in builder
    assert "Sags ID: EMN-2018-00651" in builder and "Sags ID: 15/7111" in builder

    publish(staff_client, meeting)
    public = raw(client.get(public_url(meeting)))
    assert "<li>drøfte <strong>modellen</strong></li>" in public
    assert "<li>Sekretariatet indstiller, at leverancen godkendes.</li><li>at den sendes til KB</li>" in public
    assert "<em>30. november 2017</em>" in public
    assert "Sags ID: 15/7111" in public


def test_an_item_without_a_title_is_refused(staff_client, meeting):
    response = post_item(staff_client, meeting, title="  ")

    assert response.status_code == 400
    assert "Dette felt er påkrævet." in page(response)
    assert not AgendaItem.objects.exists()


def test_script_typed_into_an_item_never_reaches_a_page(staff_client, client, meeting, member_user):
    post_item(
        staff_client,
        meeting,
        title=f"Titel {XSS}",
        case_number="<script>x</script>",
        summary=f"Resumé {XSS}\n\n<img src=x onerror=alert(1)> [klik](javascript:alert(1))",
        recommendation=f"Indstilling {XSS}",
        earlier_decisions=f"Tidligere {XSS}",
    )
    post_item(staff_client, meeting, title=f"Lukket {XSS}", summary=XSS, is_closed=True)
    publish(staff_client, meeting)
    item = AgendaItem.objects.get(position=1)
    members = Client()
    members.force_login(member_user)

    pages = {
        "builder": staff_client.get(builder_url(meeting)),
        "item form": staff_client.get(reverse("meetings:item_edit", args=[meeting.pk, item.pk])),
        "minutes form": staff_client.get(reverse("meetings:minutes", args=[meeting.pk])),
        "staff list": staff_client.get(reverse("meetings:staff_list")),
        "public page": client.get(public_url(meeting)),
        "member's page": members.get(public_url(meeting)),
        "staff's public page": staff_client.get(public_url(meeting)),
        "search": client.get(reverse("search"), {"q": "Titel"}),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        # The portal's own static scripts (the PDF notes' poller) are the only script tags a page may have.
        body = OWN_SCRIPT.sub("", raw(response).lower())
        assert "<script" not in body, name
        assert "<img" not in body, name
        assert not re.search(r"<[^>]*\bonerror\s*=", body), name
        assert not re.search(r"href=[\"']?javascript:", body), name
    assert "Titel &lt;script&gt;" in raw(pages["public page"])
    assert "Resumé" in raw(pages["public page"])


def test_an_item_is_edited(staff_client, meeting, add_item):
    item = add_item(meeting, "Budget", case_number="19/1021")

    response = staff_client.post(
        reverse("meetings:item_edit", args=[meeting.pk, item.pk]),
        item_data(title="Budgetopfølgning pr. 31. marts", case_number="19/1021", summary="Ny tekst", is_closed=True),
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.summary_html, item.is_closed) == (
        "Budgetopfølgning pr. 31. marts",
        "<p>Ny tekst</p>",
        True,
    )
    assert item.history.count() == 2
    assert "Punktet er gemt." in page(staff_client.get(builder_url(meeting)))


@pytest.mark.parametrize("name", ["item_edit", "item_move", "item_delete", "attachment_upload"])
def test_an_item_is_only_reached_through_its_own_meeting(staff_client, meeting, add_item, committee, name):
    other = Meeting.objects.create(committee=committee, starts_at=meeting.starts_at + dt.timedelta(days=7))
    item = add_item(other, "Andet møde")

    response = staff_client.post(reverse(f"meetings:{name}", args=[meeting.pk, item.pk]), item_data(retning="ned"))

    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk, title="Andet møde").exists()


def test_moving_items_keeps_the_numbers_1_to_n(staff_client, meeting, add_item):
    a, b, c, d, e = (add_item(meeting, title) for title in "ABCDE")

    move(staff_client, c, "op")  # A C B D E
    move(staff_client, a, "ned")  # C A B D E
    move(staff_client, e, "op")  # C A B E D
    move(staff_client, e, "op")  # C A E B D
    assert agenda(meeting) == [(1, "C"), (2, "A"), (3, "E"), (4, "B"), (5, "D")]

    move(staff_client, c, "op")  # already first
    move(staff_client, d, "ned")  # already last
    move(staff_client, b, "sidelæns")  # no such direction
    assert agenda(meeting) == [(1, "C"), (2, "A"), (3, "E"), (4, "B"), (5, "D")]

    response = delete(staff_client, e)
    assert agenda(meeting) == [(1, "C"), (2, "A"), (3, "B"), (4, "D")]
    assert "Punktet er slettet, og numrene er rettet." in page(staff_client.get(response["Location"]))

    move(staff_client, d, "op")
    assert agenda(meeting) == [(1, "C"), (2, "A"), (3, "D"), (4, "B")]
    builder = page(staff_client.get(builder_url(meeting)))
    assert builder.index("1. C") < builder.index("2. A") < builder.index("3. D") < builder.index("4. B")


def test_the_builder_offers_flyt_op_and_flyt_ned_where_they_make_sense(staff_client, meeting, add_item):
    for title in "ABC":
        add_item(meeting, title)

    text = page(staff_client.get(builder_url(meeting)))

    assert text.count("Flyt op") == 2
    assert text.count("Flyt ned") == 2
    assert "Flyt op: A" not in text and "Flyt ned: C" not in text


def test_standard_items_go_first_and_last_once_each(staff_client, meeting, add_item):
    add_item(meeting, "Budget")
    add_item(meeting, "Status")
    url = reverse("meetings:standard_item", args=[meeting.pk])

    response = staff_client.post(url, {"punkt": "eventuelt"}, follow=True)
    assert "Standardpunktet er tilføjet." in page(response)
    staff_client.post(url, {"punkt": "godkendelse"})
    assert agenda(meeting) == [(1, "Godkendelse af dagsorden"), (2, "Budget"), (3, "Status"), (4, "Eventuelt")]

    for which, title in [("godkendelse", "Godkendelse af dagsorden"), ("eventuelt", "Eventuelt")]:
        response = staff_client.post(url, {"punkt": which}, follow=True)
        assert f"Punktet «{title}» er allerede på dagsordenen." in page(response)
    response = staff_client.post(url, {"punkt": "frokost"}, follow=True)
    assert "Ukendt standardpunkt." in page(response)
    assert len(agenda(meeting)) == 4


def test_a_standard_item_on_an_empty_agenda(staff_client, meeting):
    staff_client.post(reverse("meetings:standard_item", args=[meeting.pk]), {"punkt": "godkendelse"})

    assert agenda(meeting) == [(1, "Godkendelse af dagsorden")]


# --- Publishing ----------------------------------------------------------------------------------------------------------


def test_publishing_makes_the_open_items_public_and_stamps_the_time(staff_client, client, meeting, add_item):
    add_item(meeting, "Godkendelse af dagsorden")
    add_item(meeting, "Køb af ejendom til daginstitution", case_number="19/0312", is_closed=True, summary="Pris")
    add_item(meeting, "Status på arbejdet", summary="Kort status")
    before_publication = page(client.get(public_url(meeting)))
    assert "Dagsordenen er ikke offentliggjort endnu." in before_publication
    assert "Status på arbejdet" not in before_publication

    start = timezone.now()
    response = publish(staff_client, meeting, follow=True)
    meeting.refresh_from_db()

    assert "Dagsordenen er offentliggjort." in page(response)
    assert start <= meeting.agenda_published_at <= timezone.now()
    text = page(client.get(public_url(meeting)))
    assert f"Dagsorden offentliggjort {timezone.localtime(meeting.agenda_published_at):%d-%m-%Y %H:%M}" in text
    assert "Punkt 3: Status på arbejdet" in text and "Kort status" in text
    assert "Punkt 2: Lukket" in text and "Sags ID: 19/0312" in text
    assert "Køb af ejendom" not in text and "Pris" not in text
    assert "ændret" not in text
    assert "Offentliggør dagsordenen" not in page(staff_client.get(builder_url(meeting)))


def test_publishing_twice_is_refused(staff_client, meeting, add_item):
    add_item(meeting, "Punkt")
    publish(staff_client, meeting)
    meeting.refresh_from_db()
    first = meeting.agenda_published_at

    response = publish(staff_client, meeting, follow=True)

    assert "Dagsordenen er allerede offentliggjort." in page(response)
    meeting.refresh_from_db()
    assert meeting.agenda_published_at == first


def test_an_empty_agenda_is_not_published(staff_client, client, meeting):
    response = publish(staff_client, meeting, follow=True)

    assert "Dagsordenen har ingen punkter." in page(response)
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    assert "Dagsordenen er ikke offentliggjort endnu." in page(client.get(public_url(meeting)))


def test_changes_before_publication_are_not_marked(staff_client, client, meeting, add_item, upload, sample_files):
    a = add_item(meeting, "A")
    add_item(meeting, "B")
    staff_client.post(reverse("meetings:item_edit", args=[meeting.pk, a.pk]), item_data(title="A2"))
    move(staff_client, a, "ned")
    staff_client.post(
        reverse("meetings:attachment_upload", args=[meeting.pk, a.pk]), {"file": upload("b.pdf", sample_files["pdf"])}
    )
    publish(staff_client, meeting)

    meeting.refresh_from_db()
    assert meeting.agenda_changed_at is None
    assert not AgendaItem.objects.filter(changed_after_publication_at__isnull=False).exists()
    assert "ændret" not in page(client.get(public_url(meeting)))


def _edit(client, meeting, items, upload, files):
    return client.post(reverse("meetings:item_edit", args=[meeting.pk, items[1].pk]), item_data(title="B rettet"))


def _add(client, meeting, items, upload, files):
    return post_item(client, meeting, title="Nyt punkt")


def _move(client, meeting, items, upload, files):
    return move(client, items[2], "op")


def _delete(client, meeting, items, upload, files):
    return delete(client, items[1])


def _add_bilag(client, meeting, items, upload, files):
    url = reverse("meetings:attachment_upload", args=[meeting.pk, items[1].pk])
    return client.post(url, {"title": "Nyt bilag", "file": upload("nyt.pdf", files["pdf"])})


def _delete_bilag(client, meeting, items, upload, files):
    attachment = Attachment.objects.get(item=items[0])
    return client.post(reverse("meetings:attachment_delete", args=[meeting.pk, attachment.pk]), {"bekraeft": "ja"})


CHANGES = {
    "edit item": _edit,
    "add item": _add,
    "move item": _move,
    "delete item": _delete,
    "add bilag": _add_bilag,
    "delete bilag": _delete_bilag,
}


@pytest.fixture
def published(staff_client, meeting, add_item, upload, sample_files):
    """A published agenda A, B, C; A has one bilag. Returns the items."""
    items = [add_item(meeting, title) for title in "ABC"]
    staff_client.post(
        reverse("meetings:attachment_upload", args=[meeting.pk, items[0].pk]),
        {"title": "Bilag A", "file": upload("a.pdf", sample_files["pdf"])},
    )
    publish(staff_client, meeting)
    return items


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_after_publication_is_marked_with_the_time(
    staff_client, client, meeting, published, upload, sample_files, change
):
    start = timezone.now()
    response = CHANGES[change](staff_client, meeting, published, upload, sample_files)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert start <= meeting.agenda_changed_at <= timezone.now()
    text = page(client.get(public_url(meeting)))
    assert f"ændret {timezone.localtime(meeting.agenda_changed_at):%d-%m-%Y %H:%M}" in text
    assert f"Offentliggjort {timezone.localtime(meeting.agenda_published_at):%d-%m-%Y %H:%M}, ændret" in page(
        staff_client.get(builder_url(meeting))
    )


@pytest.mark.parametrize("change", ["edit item", "add item", "move item", "delete item", "add bilag", "delete bilag"])
def test_a_change_after_publication_is_kept_as_a_version(
    staff_client, meeting, published, upload, sample_files, change
):
    """Items and bilag keep their versions (simple-history), so every change can be traced afterwards."""

    def versions():
        return AgendaItem.history.count() + Attachment.history.count()

    before = versions()

    CHANGES[change](staff_client, meeting, published, upload, sample_files)

    assert versions() > before


def test_an_edited_item_is_marked_changed_on_its_own(staff_client, client, meeting, published):
    _edit(staff_client, meeting, published, None, None)

    b = AgendaItem.objects.get(pk=published[1].pk)
    text = page(client.get(public_url(meeting)))
    assert b.changed_after_publication_at is not None
    assert f"Punkt 2: B rettet Åben ændret {timezone.localtime(b.changed_after_publication_at):%d-%m-%Y %H:%M}" in text
    assert "Punkt 1: A Åben ændret" not in text
    assert b.history.first().title == "B rettet"
    assert b.history.last().title == "B"


# --- Only the secretariat ------------------------------------------------------------------------------------------------


STAFF_URLS = [  # (method, URL name, what the URL takes)
    ("get", "staff_list", ""),
    ("get", "create", ""),
    ("post", "create", ""),
    ("get", "builder", "meeting"),
    ("get", "item_add", "meeting"),
    ("post", "item_add", "meeting"),
    ("get", "item_edit", "meeting item"),
    ("post", "item_edit", "meeting item"),
    ("post", "item_move", "meeting item"),
    ("post", "item_delete", "meeting item"),
    ("post", "attachment_upload", "meeting item"),
    ("post", "attachment_delete", "meeting attachment"),
    ("post", "standard_item", "meeting"),
    ("post", "publish", "meeting"),
    ("get", "minutes", "meeting"),
    ("post", "minutes", "meeting"),
    ("post", "minutes_status", "meeting"),
    ("get", "deliverable", "committee deliverable"),
    ("post", "deliverable", "committee deliverable"),
]


@pytest.fixture
def url_args(staff, meeting, add_item, upload, sample_files) -> dict:
    """One of everything a staff URL can point at: a meeting with an item, a bilag and minutes; a deliverable."""
    item = add_item(meeting, "Punkt")
    attachment = services.attachment_add(item=item, upload=upload("a.pdf", sample_files["pdf"]), title="", by=staff)
    Minutes.objects.create(meeting=meeting)
    deliverable = Deliverable.objects.create(committee=meeting.committee, number=1, title="Leverance")
    return {
        "meeting": meeting.pk,
        "item": item.pk,
        "attachment": attachment.pk,
        "committee": meeting.committee.slug,
        "deliverable": deliverable.pk,
    }


def _state():
    return (
        list(Meeting.objects.values_list("pk", "agenda_published_at", "location")),
        list(AgendaItem.objects.values_list("pk", "position", "title")),
        list(Attachment.objects.values_list("pk")),
        list(Minutes.objects.values_list("pk", "status")),
        list(Deliverable.objects.values_list("pk", "file", "approval__item", "handed_over_on")),
    )


@pytest.mark.parametrize(("method", "name", "takes"), STAFF_URLS, ids=[f"{m} {n}" for m, n, _ in STAFF_URLS])
def test_staff_pages_send_anonymous_to_login_and_refuse_others(client, citizen, url_args, method, name, takes):
    url = reverse(f"meetings:{name}", args=[url_args[key] for key in takes.split()])
    data = {"title": "Hack", "punkt": "eventuelt", "retning": "ned", "handling": "godkend", "location": "X"}
    send = getattr(client, method)
    before = _state()

    anonymous = send(url, data if method == "post" else None)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login") + "?next=")

    client.force_login(citizen)
    assert send(url, data if method == "post" else None).status_code == 403

    client.force_login(get_user_model().objects.create_user("gammel", password="x", is_staff=True))
    assert send(url, data if method == "post" else None).status_code == 403, "is_staff alone is not the secretariat"
    assert _state() == before


def test_a_one_sentence_recommendation_is_a_paragraph_not_a_bullet(staff_client, client, meeting):
    post_item(
        staff_client,
        meeting,
        title="Orientering",
        case_number="EMN-2018-00652",
        recommendation="Sekretariatet indstiller, at orienteringen tages til efterretning.",
    )
    publish(staff_client, meeting)
    public = raw(client.get(public_url(meeting)))
    assert "<p>Sekretariatet indstiller, at orienteringen tages til efterretning.</p>" in public
    assert "<li>Sekretariatet indstiller" not in public


def test_the_bilag_title_typed_is_kept_when_the_upload_is_refused(staff_client, meeting, add_item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = add_item(meeting, "Punkt med bilag")
    response = staff_client.post(
        reverse("meetings:attachment_upload", args=[meeting.pk, item.pk]),
        {"title": "Budgetoverslag 2027", "file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/pdf")},
    )

    assert response.status_code == 400
    assert 'value="Budgetoverslag 2027"' in response.content.decode()
