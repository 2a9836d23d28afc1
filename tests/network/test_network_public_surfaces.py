"""Nothing personal of the network on any public surface: a crawl of the public pages, the sitemap, search, the
feeds and the open-data API, as anonymous visitors and as signed-in citizens and politicians, never shows a
member's name or address (they are invited to the call and a committee they sat on has ended)."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from committees.models import Committee
from gentofte_portal.network.models import Invitation
from tests.network.conftest import make_member

pytestmark = pytest.mark.django_db

NAME = "Zelma Netvaerksdottir"
EMAIL = "zelma.netvaerk@example.org"
HREF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
START = [
    "/",
    "/udvalg/",
    "/opslag/",
    "/moeder/",
    "/netvaerk/tilmeld/",
    "/netvaerk/privatliv/",
    "/sitemap.xml",
    "/feeds/dagsordener-og-referater.atom",
    "/oparl/v1.1/",
    # Search echoes the query, so it is asked for parts of the name and address, never the whole.
    f"/soeg/?q={NAME.split()[1]}",
    f"/soeg/?q={EMAIL.split('@')[0]}",
]
SKIP = ("/static/", "/log-ud/", "/i18n/", "/admin/", "/log-ind/")


def crawl(client, starts) -> set[str]:
    seen, queue, pages = set(), deque(starts), 0
    while queue and pages < 300:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        pages += 1
        body = response.content.decode(errors="replace") if not response.streaming else ""
        assert NAME not in body and EMAIL not in body, f"{path} shows a network member"
        for target in HREF.findall(body) + LOC.findall(body):
            queue.append(urljoin(path, target.replace("&amp;", "&")))
    assert pages > 10
    return seen


@pytest.fixture
def world(open_call, closing_committee, staff):
    open_call.published_at = timezone.now()
    open_call.save()
    member = make_member(NAME, email=EMAIL, competences=["Data"], interests=["Idræt"])
    Invitation.objects.create(member=member, kind="opslag", call=open_call, sent_by=staff)
    Committee.objects.filter(pk=closing_committee.pk).update(status=Committee.Status.CLOSED)
    return member


@pytest.mark.parametrize("role", ["anonymous", "citizen", "politician"])
def test_no_public_surface_shows_a_network_member(client, request, world, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    seen = crawl(client, START)
    assert any(p.startswith("/sitemap-") for p in seen) and any(p.startswith("/oparl/v1.1/body/") for p in seen)
    assert f"/opslag/{world.invitations.get().call_id}/" in seen  # the call the member was invited to
    assert "/udvalg/ungepolitik/" in seen  # the committee that ended
    assert mail.outbox == []
