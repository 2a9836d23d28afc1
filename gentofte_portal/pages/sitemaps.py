"""sitemap.xml: public pages only (committees, published meetings, open calls); never drafts or closed items."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from committees.models import Committee
from meetings.models import Meeting
from recruitment.selectors import calls_open


class CommitteeSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Committee.objects.order_by("pk")

    def location(self, obj):
        return reverse("pages:committee", args=[obj.slug])


class MeetingSitemap(Sitemap):
    changefreq = "weekly"
    limit = 1000  # per page of the section (?p=2 …), listed in the index

    def items(self):
        return Meeting.objects.filter(agenda_published_at__isnull=False).order_by("pk")

    def location(self, obj):
        return reverse("meetings:detail", args=[obj.pk])

    def lastmod(self, obj):
        return obj.agenda_public_changed_at or obj.agenda_published_at


class CallSitemap(Sitemap):
    def items(self):
        return list(calls_open())

    def location(self, obj):
        return reverse("recruitment:call", args=[obj.pk])


SITEMAPS = {"udvalg": CommitteeSitemap, "moeder": MeetingSitemap, "opslag": CallSitemap}
