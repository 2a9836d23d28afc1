"""sitemap.xml is an index of paged sections; published meetings are listed, unpublished ones never."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def locs(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_the_index_points_to_sections_that_list_only_published_meetings(client, meeting, add_item, staff, committee):
    add_item(meeting, "Status")
    services.agenda_publish(meeting=meeting, by=staff)
    unpublished = Meeting.objects.create(committee=committee, starts_at=meeting.starts_at, location="Rådhuset")

    sections = locs(client.get("/sitemap.xml"))
    assert {s.rsplit("/", 1)[1] for s in sections} == {"sitemap-udvalg.xml", "sitemap-moeder.xml", "sitemap-opslag.xml"}
    meetings = locs(client.get("/sitemap-moeder.xml"))
    assert any(loc.endswith(reverse("meetings:detail", args=[meeting.pk])) for loc in meetings)
    assert not any(loc.endswith(reverse("meetings:detail", args=[unpublished.pk])) for loc in meetings)
    assert client.get("/sitemap-noget-andet.xml").status_code == 404


def test_a_large_section_is_paged(client, committee, monkeypatch):
    from gentofte_portal.pages.sitemaps import MeetingSitemap

    monkeypatch.setattr(MeetingSitemap, "limit", 2)
    for day in range(1, 6):
        at = dt.datetime(2019, 3, day, 17, 0, tzinfo=dt.UTC)
        Meeting.objects.create(committee=committee, starts_at=at, agenda_published_at=at - dt.timedelta(days=7))
    sections = locs(client.get("/sitemap.xml"))
    pages = [s for s in sections if "sitemap-moeder.xml" in s]
    assert len(pages) == 3  # 5 meetings, 2 to a page
    assert len(locs(client.get("/sitemap-moeder.xml?p=3"))) == 1
