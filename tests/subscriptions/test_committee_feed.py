"""The per-committee Atom feed beside the site-wide one (issue 14)."""

from django.urls import reverse

from meetings import services
from meetings.models import Meeting


def test_a_committee_feed_lists_only_its_own_published_documents(
    client, committee, other_committee, agenda, add_item, publish, staff
):
    other = Meeting.objects.create(committee=other_committee, starts_at=agenda.starts_at, location="Rådhuset")
    add_item(other, "Andet udvalgs punkt")
    draft = Meeting.objects.create(committee=committee, starts_at=agenda.starts_at.replace(year=2020))
    add_item(draft, "Kladde")
    publish(agenda)
    services.agenda_publish(meeting=other, by=staff)

    response = client.get(reverse("meetings:committee_feed", args=[committee.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "<title>Opgaveudvalg om Innovation: dagsordener og referater</title>" in feed
    assert reverse("meetings:detail", args=[agenda.pk]) in feed
    assert reverse("meetings:detail", args=[other.pk]) not in feed
    assert reverse("meetings:detail", args=[draft.pk]) not in feed
    assert "Hemmelig" not in feed and "Cykelstier" not in feed  # titles and links only
    assert reverse("pages:committee", args=[committee.slug]) in feed
    site = client.get(reverse("meetings:feed")).content.decode()
    assert reverse("meetings:detail", args=[other.pk]) in site and reverse("meetings:detail", args=[agenda.pk]) in site


def test_an_unknown_committee_has_no_feed(client, db):
    assert client.get(reverse("meetings:committee_feed", args=["findes-ikke"])).status_code == 404
