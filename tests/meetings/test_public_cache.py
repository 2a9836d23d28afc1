"""Anonymous visitors' public pages come from a cache (gentofte_portal.common.public_cache) that any change to the data
empties at once; logged-in users never get a cached page, and a cached page never carries anyone's session,
messages or CSRF token, nor anything closed."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from tests.factories import CommitteeFactory, MandateFactory
from tests.meetings.conftest import make_user

# Real commits: the cache is emptied after commit, which the usual per-test transaction never reaches.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(meeting, add_item, staff, members):
    add_item(meeting, "Status på arbejdet", summary="Kort status")
    add_item(meeting, "Køb af ejendom", case_number="EMN-2019-00012", is_closed=True, summary="Hemmelig pris")
    services.agenda_publish(meeting=meeting, by=staff)
    return meeting


def url(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def queries(client, path, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/udvalg/",
        "/udvalg/innovation/",
        "/moeder/",
        "/opslag/",
        "/soeg/?q=status",
        "/tilgaengelighed/",
        "/sitemap.xml",
        "/feeds/dagsordener-og-referater.atom",
    ],
)
def test_the_second_anonymous_visit_costs_no_queries(client, published, path):
    first, page = queries(client, path)
    assert first > 0
    second, again = queries(client, path)
    assert second == 0
    assert again == page
    assert "Cookie" in client.get(path)["Vary"]  # a cache between must not hand it to a logged-in user
    assert "csrfmiddlewaretoken" not in page  # nothing personal in a shared page


def test_a_change_shows_at_once(client, staff_client, published):
    queries(client, url(published))
    item = published.items.get(title="Status på arbejdet")
    response = staff_client.post(
        reverse("meetings:item_edit", args=[published.pk, item.pk]),
        {"title": "Status på arbejdet, revideret", "case_number": "", "summary": "Ny status"},
    )
    assert response.status_code == 302
    _, page = queries(client, url(published))
    assert "Status på arbejdet, revideret" in page


def test_members_and_staff_never_get_the_cached_page_and_it_never_gets_theirs(
    client, staff_client, member_user, published
):
    _, anonymous = queries(client, url(published))
    assert "Lukket" in anonymous and "Hemmelig pris" not in anonymous

    member = Client()
    member.force_login(member_user)
    assert "Hemmelig pris" in member.get(url(published)).content.decode()
    assert "Hemmelig pris" in staff_client.get(url(published)).content.decode()

    cache.clear()  # now let a member's visit come first
    assert "Hemmelig pris" in member.get(url(published)).content.decode()
    _, anonymous = queries(client, url(published))
    assert "Hemmelig pris" not in anonymous


def test_a_members_page_with_closed_items_is_private_to_every_cache(client, member_user, published):
    """A proxy that ignores Vary: Cookie must not hand a member's page (closed items) to the next visitor."""
    member = Client()
    member.force_login(member_user)
    response = member.get(url(published))
    assert "Hemmelig pris" in response.content.decode()
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "private" not in client.get(url(published)).get("Cache-Control", "")  # anonymous: shareable
    for path in ["/", "/udvalg/", "/moeder/"]:
        assert "private" in member.get(path)["Cache-Control"], path


def test_a_visitor_with_messages_is_not_served_from_the_cache(client, published):
    queries(client, url(published))
    client.cookies["messages"] = "anything"
    count, _ = queries(client, url(published))
    assert count > 0


def test_languages_are_cached_apart(client, published):
    _, danish = queries(client, "/udvalg/")
    _, english = queries(client, "/udvalg/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="da">' in danish and '<html lang="en">' in english
    count, again = queries(client, "/udvalg/", HTTP_ACCEPT_LANGUAGE="en")
    assert count == 0 and again == english


def test_the_language_can_be_switched_without_a_session(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/udvalg/"})
    assert response.status_code == 302
    assert response["Location"] == "/udvalg/"
    assert '<html lang="en">' in client.get("/udvalg/").content.decode()


def open_call():
    """A call open for applications for ten days, with one competence to tick."""
    import datetime as dt

    from django.utils import timezone

    from recruitment.models import Call
    from tests.factories import TaskCommitteeFactory

    return Call.objects.create(
        committee=TaskCommitteeFactory(status="rekruttering"),
        title="Bliv medlem",
        published_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=10),
        competences=["Går i skole"],
    )


def test_the_application_form_is_cached_but_each_visitor_gets_their_own_token(client):
    from recruitment.models import Application
    from tests.recruitment.conftest import application_data

    call = open_call()
    path = reverse("recruitment:apply", args=[call.pk])
    token = 'name="csrfmiddlewaretoken" value="'
    pages = []
    for _ in range(3):
        visitor = Client(enforce_csrf_checks=True)
        count, page = queries(visitor, path)
        pages.append((count, page.split(token)[1][:64]))
        # The token on the page works with the cookie the visitor got: the application goes through.
        data = application_data(email=f"borger{len(pages)}@example.org", csrfmiddlewaretoken=pages[-1][1])
        assert visitor.post(path, data).status_code == 302
    assert pages[1][0] == 0 and pages[2][0] == 0  # from the cache
    assert len({t for _, t in pages}) == 3  # a token of their own each
    assert "__portal_csrf_token__" not in page
    assert Application.objects.filter(call=call).count() == 3


def test_the_search_forms_committee_choices_are_shared_by_every_user_until_the_content_changes(
    settings, client, staff_client, committee, term
):
    """Uncached pages and logged-in users reuse the search form's committee and term lists (public_cache.versioned);
    a new committee is in the list at once."""
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 0  # every page rendered: only the shared data is cached
    settings.PORTAL_SHARED_DATA_CACHE_SECONDS = 300
    first, page = queries(staff_client, "/soeg/?q=status")
    assert "Opgaveudvalg om Innovation" in page
    second, page = queries(client, "/soeg/?q=status")
    assert "Opgaveudvalg om Innovation" in page
    again, _ = queries(staff_client, "/soeg/?q=status")
    assert again <= first - 2  # the committees and the terms are not read again

    CommitteeFactory(term=term, name="Opgaveudvalg om Trafik", slug="trafik")
    _, page = queries(client, "/soeg/?q=status")
    assert "Opgaveudvalg om Trafik" in page


def test_the_meeting_lists_rows_are_rendered_once_for_every_user_and_a_change_shows_at_once(
    settings, client, staff_client, member_user, published
):
    """Logged-in users never get the page cache, but the meeting list's shared part (filters and rows) is one
    fragment per content version, language and query string (the shared_fragment tag)."""
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 0
    settings.PORTAL_SHARED_DATA_CACHE_SECONDS = 60
    member = Client()
    member.force_login(member_user)

    first, page = queries(staff_client, "/moeder/")
    assert "Udvalgsværelse G" in page and "Opgaveudvalg om Innovation" in page
    again, page = queries(member, "/moeder/")
    assert "Udvalgsværelse G" in page
    assert again < first - 2  # the list's own queries (rows, filters) are not run again
    anonymous, page = queries(client, "/moeder/")
    assert "Udvalgsværelse G" in page and "Log ud" not in page  # the header around it is the visitor's own

    # Another filter is another fragment; another language too.
    _, page = queries(member, "/moeder/?aar=2030")
    assert "Udvalgsværelse G" not in page
    _, page = queries(member, "/moeder/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Past meetings" in page and "Afholdte møder" not in page

    # A change shows at once, for everyone.
    published.location = "Byrådssalen"
    published.save()
    _, page = queries(member, "/moeder/")
    assert "Byrådssalen" in page and "Udvalgsværelse G" not in page


def test_a_meetings_items_are_shared_only_within_a_visibility_class(
    settings, client, staff_client, member_user, published
):
    """The meeting page's items are one fragment per class (staff, the committee's members, everyone else): a
    member's closed items never reach a politician outside the committee or an anonymous visitor, whoever came
    first, and an unpublished draft of the secretariat never reaches a member."""
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 0
    settings.PORTAL_SHARED_DATA_CACHE_SECONDS = 60
    member = Client()
    member.force_login(member_user)
    outsider = Client()
    outsider.force_login(make_user("udenfor", first_name="Ole", last_name="Udenfor"))

    assert "Hemmelig pris" in member.get(url(published)).content.decode()  # the member's class first
    _, page = queries(outsider, url(published))
    assert "Hemmelig pris" not in page and "Lukket" in page
    _, page = queries(client, url(published))
    assert "Hemmelig pris" not in page
    assert "Hemmelig pris" in staff_client.get(url(published)).content.decode()

    # A change shows at once in every class.
    item = published.items.get(title="Status på arbejdet")
    item.title = "Status på arbejdet, ny"
    item.save()
    for browser in (member, outsider, client, staff_client):
        assert "Status på arbejdet, ny" in browser.get(url(published)).content.decode()


def test_a_committee_page_shares_its_content_but_not_the_secretariats_button(
    settings, client, staff_client, member_user, other_committee
):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 0
    settings.PORTAL_SHARED_DATA_CACHE_SECONDS = 60
    member = Client()
    member.force_login(member_user)
    path = f"/udvalg/{other_committee.slug}/"

    assert "Foreslå et nyt opgaveudvalg fra dette udvalg" in staff_client.get(path).content.decode()
    for browser in (member, client):
        page = browser.get(path).content.decode()
        assert "Økonomiudvalget" in page and "Foreslå et nyt opgaveudvalg" not in page

    other_committee.name = "Økonomi- og Erhvervsudvalget"
    other_committee.save()
    assert "Økonomi- og Erhvervsudvalget" in member.get(path).content.decode()


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/sitemap-moeder.xml", "/feeds/dagsordener-og-referater.atom", "/oparl/v1.1/"]
)
def test_sitemaps_feeds_and_open_data_are_built_once_per_content_version_for_everyone(
    settings, client, member_user, published, path
):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 0
    settings.PORTAL_SHARED_DATA_CACHE_SECONDS = 60
    member = Client()
    member.force_login(member_user)
    first, page = queries(client, path)
    assert first > 0
    again, page_again = queries(client, path)
    assert again == 0 and page_again == page
    _, members = queries(member, path)
    assert members == page  # nothing of a user's in it: a member gets the same

    published.location = "Byrådssalen"
    published.save()
    assert queries(client, path)[0] > 0  # a change builds it anew


def test_the_workspace_list_is_shared_by_the_secretariat_but_a_politicians_list_is_their_own(
    settings, staff, staff_client, member_user, committee
):
    settings.PORTAL_SHARED_DATA_CACHE_SECONDS = 60
    MandateFactory(committee=committee)  # a draft: the secretariat's, not put to any politician
    other_staff = Client()
    other_staff.force_login(make_user("sofie", secretariat=True, first_name="Sofie", last_name="Berg"))
    first, page = queries(staff_client, "/arbejde/")
    assert "Opgaveudvalg om Innovation" in page
    again, page = queries(other_staff, "/arbejde/")
    assert "Opgaveudvalg om Innovation" in page and again < first

    member = Client()
    member.force_login(member_user)
    page = member.get("/arbejde/").content.decode()
    assert "Opgaveudvalg om Innovation" not in page and "Der er ingen kommissorier her." in page


def test_the_empty_application_form_is_shared_but_a_form_with_errors_is_each_visitors_own(settings, member_user):
    """Without the page cache (a signed-in citizen), the empty form is rendered once per call and content version;
    a form sent back with errors shows that visitor's own values and messages, never the shared empty one, and
    never another visitor's."""
    from tests.recruitment.conftest import application_data

    settings.PORTAL_SHARED_DATA_CACHE_SECONDS = 60
    call = open_call()
    path = reverse("recruitment:apply", args=[call.pk])
    signed_in = Client()
    signed_in.force_login(member_user)
    first = signed_in.get(path).content.decode()
    assert "Går i skole" in first and 'name="email"' in first
    bad = application_data(email="ikke-en-adresse", name="Grethe Særnavn")
    response = signed_in.post(path, bad)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Grethe Særnavn" in text and "is-invalid" in text  # the visitor's own values and the message
    again = Client().get(path).content.decode()  # the next visitor: the empty form, nothing of Grethe's
    assert "Grethe Særnavn" not in again and "is-invalid" not in again and 'name="email"' in again
    assert signed_in.get(path).content.decode().count("Går i skole") == first.count("Går i skole")


def test_the_agenda_builders_items_are_shared_by_the_secretariat_each_with_their_own_working_token(
    settings, staff, meeting, add_item
):
    """The builder's items (with their move, delete and upload forms) are rendered once per content version for the
    whole secretariat; the CSRF token in those forms is each user's own, so their buttons work, and a change shows
    at once."""
    import re

    settings.PORTAL_SHARED_DATA_CACHE_SECONDS = 60
    for title in ("Cykelstier", "Skolebyggeri", "Havnebad"):
        add_item(meeting, title)
    path = reverse("meetings:builder", args=[meeting.pk])
    clients = []
    for name in ("signe2", "sofie"):
        c = Client(enforce_csrf_checks=True)
        c.force_login(make_user(name, secretariat=True))
        clients.append(c)
    first, page = queries(clients[0], path)
    again, other_page = queries(clients[1], path)
    assert again < first  # the items came from the shared fragment
    assert "2. Skolebyggeri" in other_page and "__portal_csrf_token__" not in other_page
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', other_page))
    assert len(tokens) == 1
    # The other user's token from the shared items moves an item: it is theirs, not the first user's.
    item = meeting.items.get(title="Havnebad")
    move = reverse("meetings:item_move", args=[meeting.pk, item.pk])
    response = clients[1].post(move, {"retning": "op", "csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302
    page = clients[0].get(path).content.decode()
    assert page.index("Havnebad") < page.index("Skolebyggeri")  # the change shows at once, to everyone
