"""The public "ændret" mark, the feed's update time and the sitemap's lastmod follow only what the public can see:
a change inside a closed item (its title, text or bilag) shows to those who see closed items, not to the public."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(meeting, add_item, staff):
    """A published agenda: 1 open, 2 closed (with a case id)."""
    open_item = add_item(meeting, "Byrumsstrategi")
    closed_item = add_item(meeting, "Personalesag", is_closed=True, case_number="EMN-2019-00042")
    services.agenda_publish(meeting=meeting, by=staff)
    meeting.refresh_from_db()
    assert meeting.agenda_changed_at is None and meeting.agenda_public_changed_at is None
    return open_item, closed_item


def marks(client: Client, meeting) -> list[str]:
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    return re.findall(r"ændret \d\d[.-]\d\d[.-]\d{4} \d\d:\d\d", html)


def feed_updated(client: Client) -> str:
    return re.search(
        r"<entry>.*?<updated>([^<]+)</updated>", client.get(reverse("meetings:feed")).content.decode(), re.S
    )[1]


def edit(item, staff, **changes):
    data = {f: getattr(item, f) for f in services.ITEM_FIELDS} | changes
    return services.agenda_item_update(item=item, data=data, by=staff)


@pytest.mark.parametrize(
    "change",
    [
        lambda closed, staff: edit(closed, staff, title="Personalesag (rettet)", summary="Fortroligt resumé."),
        lambda closed, staff: services.attachment_add(
            item=closed, upload=SimpleUploadedFile("n.pdf", b"%PDF-1.4\n%%EOF\n"), title="Notat", by=staff
        ),
    ],
    ids=["text-of-a-closed-item", "bilag-on-a-closed-item"],
)
def test_a_change_inside_a_closed_item_does_not_show_to_the_public(
    client, meeting, published, staff, member_user, change
):
    before = feed_updated(client)

    change(published[1], staff)

    meeting.refresh_from_db()
    assert meeting.agenda_changed_at is not None  # staff and members see it
    assert meeting.agenda_public_changed_at is None
    assert marks(client, meeting) == []
    assert feed_updated(client) == before
    member = Client()
    member.force_login(member_user)
    assert marks(member, meeting), "a member, who sees the closed item, sees that it changed"


@pytest.mark.parametrize(
    "change",
    [
        lambda items, staff: edit(items[1], staff, case_number="EMN-2019-00043"),
        lambda items, staff: edit(items[1], staff, is_closed=False),
        lambda items, staff: edit(items[0], staff, summary="Nyt resumé."),
        lambda items, staff: services.agenda_item_move(item=items[1], direction="op", by=staff),
    ],
    ids=["case-id-of-a-closed-item", "closed-item-opened", "open-item", "numbers"],
)
def test_a_change_the_public_can_see_is_marked_for_the_public(client, meeting, published, staff, change):
    before = feed_updated(client)

    change(published, staff)

    meeting.refresh_from_db()
    assert meeting.agenda_public_changed_at == meeting.agenda_changed_at is not None
    when = timezone.localtime(meeting.agenda_public_changed_at)
    assert any(when.strftime("%H:%M") in mark for mark in marks(client, meeting))
    assert feed_updated(client) != before
