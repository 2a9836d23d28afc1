"""/soeg/ on whichever database the suite runs on (SQLite by default; PostgreSQL with DATABASE_URL): who finds
what, bilag text, filters, paging, the count, escaping, a fixed number of queries, and hostile input."""

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gentofte_portal.devdata.meetings import minimal_pdf
from meetings import services
from meetings.models import AgendaItem, Attachment
from meetings.text_extract import docx_text
from tests.gentofte_portal.search_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def client_for(world, role: str) -> Client:
    c = Client()
    user = {
        "anonymous": None,
        "citizen": world.citizen,
        "outsider": world.outsider,
        "member": world.member,
        "staff": world.staff,
        "discussing": world.discussing,
    }[role]
    if user is not None:
        c.force_login(user)
    return c


def results(response) -> str:
    """The results section of the page (the form above echoes the query)."""
    body = response.content.decode()
    match = re.search(r'<section aria-labelledby="resultater">(.*?)</section>', body, re.S)
    return match.group(1) if match else ""


def count(response) -> int:
    match = re.search(r'<h2 id="resultater" class="h5">(\d+) resultat', response.content.decode())
    return int(match.group(1)) if match else -1


def set_fields(obj, **fields) -> None:
    """Change and save, as the services do (a queryset's update() sends no signal, so neither the page cache nor
    the public search index would hear of it)."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(fields))


ROLES = ["anonymous", "citizen", "outsider", "member", "staff"]
# word -> the roles that find it (everyone else must not).
MATRIX = {
    "Lukkethemmelighed": {"member", "staff"},  # a closed item's title
    "Fortroligt": {"member", "staff"},  # a closed item's resumé
    "Upubliceretord": {"staff"},  # an item of an unpublished agenda
    "Skovrejsningsudkast": {"staff"},  # a mandate draft
    "Droeftelsesord": {"staff"},  # a draft put to Børneudvalget (none of these roles sits there)
    "Beslutningsord": {"staff"},  # a decision whose referat is still a draft
    "Referatkladdeord": {"staff"},  # a draft referat's remarks
    "Gammelbeslutning": set(ROLES),  # a decision of a published referat
    "Bilagstekstord": set(ROLES),  # an open item's bilag text
    "Opslagsord": set(ROLES),  # an open call
    "trafiksikkerhed": set(ROLES),  # a published mandate's purpose
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_what_it_may_see_and_nothing_else(world, role):
    c = client_for(world, role)
    for word, finders in MATRIX.items():
        response = c.get("/soeg/", {"q": word})
        assert response.status_code == 200
        found = count(response) > 0
        assert found == (role in finders), f"{role} searching {word!r}: found={found}"


def test_a_politician_finds_the_draft_put_to_their_standing_committee(world):
    assert count(client_for(world, "discussing").get("/soeg/", {"q": "Droeftelsesord"})) == 1
    assert count(client_for(world, "discussing").get("/soeg/", {"q": "Skovrejsningsudkast"})) == 0


def test_a_closed_items_bilag_text_is_never_found_not_even_by_staff_and_members(world):
    for role in ROLES:
        assert count(client_for(world, role).get("/soeg/", {"q": "Lukketbilagsord"})) == 0, role
    # Its title reaches only those who may see the closed item.
    assert count(client_for(world, "anonymous").get("/soeg/", {"q": "Lønbilag"})) == 0
    assert count(client_for(world, "member").get("/soeg/", {"q": "Lønbilag"})) == 1


def test_a_closed_item_shows_nothing_of_itself_to_the_public(world):
    body = client_for(world, "anonymous").get("/soeg/", {"q": "Personalesag"}).content.decode()
    assert "Lukkethemmelighed" not in body and "Fortroligt" not in body


@pytest.mark.parametrize(
    ("level", "fields", "query", "shown"),
    [
        ("titel", {}, "Lukkethemmelighed", "2. Personalesag Lukkethemmelighed (Lukket)"),
        ("titel_og_beslutning", {}, "Lukkethemmelighed", "2. Personalesag Lukkethemmelighed (Lukket)"),
        ("anonymiseret", {"public_title": "Ansættelsessag"}, "Ansættelsessag", "2. Ansættelsessag (Lukket)"),
    ],
)
def test_the_public_finds_a_closed_item_by_the_title_its_publish_level_shows(world, level, fields, query, shown):
    set_fields(world.closed_item, publish_level=level, **fields)

    response = client_for(world, "anonymous").get("/soeg/", {"q": query})

    assert count(response) == 1
    section = results(response)
    assert shown in section and f"#punkt-{world.closed_item.position}" in section
    assert "Fortroligt" not in response.content.decode()
    assert count(client_for(world, "anonymous").get("/soeg/", {"q": "Fortroligt"})) == 0  # never its text
    member = client_for(world, "member")
    assert count(member.get("/soeg/", {"q": "Lukkethemmelighed"})) == 1  # once, in full, by its real title


def test_an_anonymised_or_personal_closed_item_is_not_found_by_its_real_title(world):
    set_fields(world.closed_item, publish_level="anonymiseret", public_title="Sag")
    assert count(client_for(world, "anonymous").get("/soeg/", {"q": "Lukkethemmelighed"})) == 0
    set_fields(world.closed_item, publish_level="titel", has_personal_data=True)
    assert count(client_for(world, "anonymous").get("/soeg/", {"q": "Lukkethemmelighed"})) == 0


def test_bilag_hits_link_to_the_download_and_show_the_text(world):
    response = client_for(world, "anonymous").get("/soeg/", {"q": "Bilagstekstord"})
    section = results(response)
    assert f"/moeder/{world.meeting.pk}/bilag/{world.open_bilag.pk}/" in section
    assert "Trafikplan" in section
    assert "<mark>Bilagstekstord</mark>" in section


def test_uploading_a_pdf_extracts_its_text_once_and_a_closed_items_bilag_is_never_read(
    world, django_capture_on_commit_callbacks, settings
):
    # In-process, also in CI where a broker is configured (the worker's round trip: test_integration.py).
    settings.CELERY_TASK_ALWAYS_EAGER = True
    pdf = minimal_pdf("Parkeringsnormer for Hovedgaden")
    with django_capture_on_commit_callbacks(execute=True):
        opened = services.attachment_add(
            item=world.open_item, upload=SimpleUploadedFile("plan.pdf", pdf), title="Plan", by=world.staff
        )
        closed = services.attachment_add(
            item=world.closed_item, upload=SimpleUploadedFile("loen.pdf", pdf), title="Løn", by=world.staff
        )
    opened.refresh_from_db()
    closed.refresh_from_db()
    assert "Parkeringsnormer" in opened.text and opened.text_extracted_at is not None
    assert closed.text == "" and closed.text_extracted_at is None
    assert not services.attachment_text_extract(attachment_id=opened.pk)  # once only
    assert not services.attachment_text_extract(attachment_id=closed.pk)
    assert count(client_for(world, "anonymous").get("/soeg/", {"q": "Parkeringsnormer"})) == 1
    assert count(client_for(world, "staff").get("/soeg/", {"q": "Parkeringsnormer"})) == 1


def _docx(paragraphs: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>')
    return buffer.getvalue()


def test_docx_text_is_read_from_the_documents_xml():
    assert docx_text(_docx(["Første afsnit", "Vejbump på Søndervangen"])) == "Første afsnit Vejbump på Søndervangen"


def test_the_command_extracts_existing_bilag_of_open_items_only(world, settings, tmp_path):
    data = _docx(["Skybrudssikring af Ordrup"])
    for attachment in (world.open_bilag, world.closed_bilag):
        attachment.file.save("a.docx", io.BytesIO(data), save=False)
        Attachment.objects.filter(pk=attachment.pk).update(
            file=attachment.file.name,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            text="",
        )
    call_command("extract_attachment_text", stdout=io.StringIO())
    world.open_bilag.refresh_from_db()
    world.closed_bilag.refresh_from_db()
    assert "Skybrudssikring" in world.open_bilag.text
    assert world.closed_bilag.text == "" and world.closed_bilag.text_extracted_at is None


def test_filters_by_kind_committee_term_and_year(world):
    c = client_for(world, "anonymous")
    assert count(c.get("/soeg/", {"q": "udvalg", "type": "opslag"})) == 1
    kultur = c.get("/soeg/", {"q": "Bibliotek", "udvalg": "kultur"})
    assert count(kultur) >= 1 and "Kulturudvalget" in results(kultur)
    assert count(c.get("/soeg/", {"q": "Bibliotek", "udvalg": "trafik"})) == 0
    assert count(c.get("/soeg/", {"q": "Bibliotek", "periode": str(world.term.pk)})) == 0
    assert count(c.get("/soeg/", {"q": "Bibliotekernes", "aar": "2016"})) == 1
    assert count(c.get("/soeg/", {"q": "Bibliotekernes", "aar": "2019"})) == 0


def test_paging_with_the_total_count(world):
    for n in range(45):
        AgendaItem.objects.create(meeting=world.meeting, position=10 + n, title=f"Sidetest nummer {n}")
    c = client_for(world, "anonymous")
    first = c.get("/soeg/", {"q": "Sidetest"})
    assert count(first) == 45
    assert results(first).count('<li class="mb-3">') == 20
    assert "Side 1 af 3" in first.content.decode()
    last = c.get("/soeg/", {"q": "Sidetest", "side": "3"})
    assert results(last).count('<li class="mb-3">') == 5
    assert c.get("/soeg/", {"q": "Sidetest", "side": "abc"}).status_code == 200
    beyond = c.get("/soeg/", {"q": "Sidetest", "side": "999"})
    assert beyond.status_code == 200  # the last page, as Django's get_page gives it
    assert count(beyond) == 45 and results(beyond).count('<li class="mb-3">') == 5
    assert "Side 3 af 3" in beyond.content.decode()


def test_titles_and_text_are_escaped_only_marks_are_html(world):
    section = results(client_for(world, "anonymous").get("/soeg/", {"q": "Skriptsag"}))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "<script>" not in section and "<b>" not in section
    assert set(re.findall(r"<(\w+)", section)) <= {"h2", "ol", "li", "span", "a", "div", "p", "mark"}


def _queries(c, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get("/soeg/", params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["anonymous", "member", "staff"])
def test_the_number_of_queries_does_not_grow_with_the_hits(world, role):
    c = client_for(world, role)

    def add(n, start):
        for i in range(n):
            item = AgendaItem.objects.create(meeting=world.meeting, position=start + i, title=f"Mængdetest {i}")
            Attachment.objects.create(
                item=item,
                title=f"Mængdetest bilag {i}",
                document_number=500000 + start + i,
                file="bilag/x.pdf",
                original_name="x.pdf",
                content_type="application/pdf",
                size=1,
            )

    add(21, 100)  # more than a page at both sizes, so the pages hold the same kinds
    _queries(c, q="Mængdetest")  # once first: what a first request loads once (the content version, the session)
    few = _queries(c, q="Mængdetest")
    add(40, 200)
    many = _queries(c, q="Mængdetest")
    assert few == many
    assert many <= 16


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a" * 5000},
        {"q": "kommune\x00\x01\x1b"},
        {"q": "a & | ! :* ' ( ) <-> \\"},
        {"q": "!!"},
        {"q": "'; DROP TABLE meetings_agendaitem; --"},
        {"q": "børn", "side": "-1"},
        {"q": "at og i"},  # Danish stop words only
    ],
)
def test_hostile_input_never_fails(world, params):
    response = client_for(world, "anonymous").get("/soeg/", params)
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "member", "staff"])
@pytest.mark.parametrize("kind", ["", "kommissorium", "punkt", "bilag", "udvalg", "referat", "opslag"])
def test_words_too_short_to_match_find_nothing_of_any_kind_for_anyone(world, role, kind):
    response = client_for(world, role).get("/soeg/", {"q": "a b", "type": kind})
    assert response.status_code == 200
    assert count(response) == 0


@pytest.mark.parametrize("params", [{"aar": "abc"}, {"udvalg": "findes-ikke"}, {"type": "hemmelig"}, {"periode": "x"}])
def test_bad_filters_get_a_danish_message_and_400(world, params):
    response = client_for(world, "anonymous").get("/soeg/", {"q": "udvalg", **params})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()


def test_logged_in_users_neither_get_nor_fill_the_anonymous_cache(world, settings):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    staff = client_for(world, "staff")
    assert count(staff.get("/soeg/", {"q": "Lukkethemmelighed"})) == 1
    anonymous = Client()
    assert count(anonymous.get("/soeg/", {"q": "Lukkethemmelighed"})) == 0  # not the staff's page
    assert count(staff.get("/soeg/", {"q": "Lukkethemmelighed"})) == 1  # not the anonymous page
    with CaptureQueriesContext(connection) as ctx:
        assert count(anonymous.get("/soeg/", {"q": "Lukkethemmelighed"})) == 0
    assert len(ctx.captured_queries) == 0  # served from the anonymous cache


def test_a_short_query_asks_for_more(world):
    response = client_for(world, "anonymous").get("/soeg/", {"q": "x"})
    assert response.status_code == 200
    assert "Skriv mindst to tegn." in response.content.decode()


def test_the_meeting_date_decides_membership(world):
    """A member whose seat began after the meeting does not see that meeting's closed items."""
    from committees.models import CommitteeMembership

    CommitteeMembership.objects.filter(person__user=world.member).update(starts_on=dt.date(2019, 6, 1))
    assert count(client_for(world, "member").get("/soeg/", {"q": "Lukkethemmelighed"})) == 0
