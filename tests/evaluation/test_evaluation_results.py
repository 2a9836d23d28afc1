"""The results: shown only for groups of at least 5, phrased as the seeds report them, as SVG charts with a text
alternative and a table, as CSV; staff-only until published on the committee page."""

import csv
import io

import pytest
from django.core.cache import cache
from django.test import Client

from committees.models import Term
from gentofte_portal.evaluation import services
from gentofte_portal.evaluation.models import Invitation
from tests.evaluation.conftest import answer_all, answers_for, make_committee
from tests.factories import PoliticianUserFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST = "Arbejdet i opgaveudvalget har bidraget til at udvikle gode og brugbare løsninger"
HIDDEN = "Resultaterne vises, når mindst 5 har svaret"

# Statement 1: politicians 3 helt enig, 1 delvis uenig, 1 ved ikke (60 % agree, 20 % disagree); citizens 4 helt
# enig, 3 delvis enig, 1 helt uenig (7 of 8 = 87.5 → 88 % agree, 1 of 8 = 12.5 → 13 % disagree); everyone 10 of 13
# = 76.9 → 77 % agree.
PLAN = {
    "pol": [["helt_enig"]] * 3 + [["delvis_uenig"], ["ved_ikke"]],
    "borger": [["helt_enig"]] * 4 + [["delvis_enig"]] * 3 + [["helt_uenig"]],
}


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_percentages_are_those_of_the_answers(sent, client, staff_client):
    survey, links = sent
    answer_all(survey, links, client, PLAN)
    page = staff_client.get(f"/arbejde/evaluering/{survey.pk}/").content.decode()
    assert f"88 % af borgerne er helt eller delvis enige i «{FIRST}»." in page
    assert f"60 % af politikerne er helt eller delvis enige i «{FIRST}»." in page
    assert f"77 % af medlemmerne er helt eller delvis enige i «{FIRST}»." in page
    assert "13 % af borgerne er helt eller delvis uenige." in page
    assert "20 % af politikerne er helt eller delvis uenige." in page
    assert HIDDEN not in page
    # A chart per statement, with its title and description, and the table of figures; no script.
    assert page.count('<svg role="img"') == survey.statements.count()
    assert f'<title id="udvalg-1-t">{FIRST}</title>' in page
    assert '<desc id="udvalg-1-d">88 % af borgerne' not in page  # politicians first
    assert '<desc id="udvalg-1-d">60 % af politikerne' in page
    assert "<td>4 (50 %)</td>" in page  # citizens' helt enig: 4 of 8
    assert "<script" not in page.split("<main", 1)[1]


def test_the_csv_holds_the_counts_and_percentages(sent, client, staff_client):
    survey, links = sent
    answer_all(survey, links, client, PLAN)
    response = staff_client.get(f"/arbejde/evaluering/{survey.pk}/resultater.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = rows_of(response)
    assert header[:4] == ["Omfang", "Udsagn", "Gruppe", "Antal svar"]
    assert header[4:10] == [
        "Helt enig",
        "Delvis enig",
        "Hverken enig eller uenig",
        "Delvis uenig",
        "Helt uenig",
        "Ved ikke",
    ]
    first = {row[2]: row for row in rows if row[1] == FIRST}
    assert first["Borgere"] == [survey.committee.name, FIRST, "Borgere", "8", "4", "3", "0", "0", "1", "0", "88", "13"]
    assert first["Politikere"][3:] == ["5", "3", "0", "0", "1", "0", "1", "60", "20"]
    assert first["Alle medlemmer"][3:] == ["13", "7", "3", "0", "1", "1", "1", "77", "15"]
    assert len(rows) == 3 * survey.statements.count()
    # Nothing personal and no free text in the file.
    assert "@example.org" not in response.content.decode()


def test_results_are_hidden_below_five_answers_per_group(sent, client, staff_client):
    survey, links = sent
    answer_all(survey, links, client, {"pol": [["helt_enig"]] * 4})
    page = staff_client.get(f"/arbejde/evaluering/{survey.pk}/").content.decode()
    assert HIDDEN in page
    assert "% af" not in page and "<svg role" not in page
    assert len(rows_of(staff_client.get(f"/arbejde/evaluering/{survey.pk}/resultater.csv"))) == 1

    # Five citizens: they are shown; the four politicians still not, nor everyone together (the whole minus the
    # citizens would give the politicians away).
    answer_all(survey, links, client, {"borger": [["delvis_enig"]] * 5})
    page = staff_client.get(f"/arbejde/evaluering/{survey.pk}/").content.decode()
    assert f"100 % af borgerne er helt eller delvis enige i «{FIRST}»." in page
    assert "af politikerne" not in page and "af medlemmerne" not in page
    assert {row[2] for row in rows_of(staff_client.get(f"/arbejde/evaluering/{survey.pk}/resultater.csv"))[1:]} == {
        "Borgere"
    }


def test_the_public_page_shows_the_summary_only_once_published(
    sent, client, staff_client, settings, django_capture_on_commit_callbacks
):
    survey, links = sent
    slug = survey.committee.slug
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 60  # as in production: publishing must reach a cached page at once
    cache.clear()
    answer_all(survey, links, client, PLAN)
    last = sorted(e for e in links if e.startswith("borger"))[-1]  # the ninth citizen, with a comment
    client.post(links[last], answers_for(survey.statements.all(), "helt_enig", "Min egen kommentar"))
    page = client.get(f"/udvalg/{slug}/").content.decode()
    assert "Medlemmernes evaluering" not in page and "88 %" not in page

    with django_capture_on_commit_callbacks(execute=True):  # the page cache's version moves on after commit
        response = staff_client.post(f"/arbejde/evaluering/{survey.pk}/offentliggoer/", {"offentliggoer": "ja"})
    assert response.status_code == 302
    page = client.get(f"/udvalg/{slug}/").content.decode()
    assert "Medlemmernes evaluering" in page
    assert f"89 % af borgerne er helt eller delvis enige i «{FIRST}»." in page  # 8 of 9
    assert "@example.org" not in page and "Min egen kommentar" not in page

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/arbejde/evaluering/{survey.pk}/offentliggoer/", {"offentliggoer": "nej"})
    assert "Medlemmernes evaluering" not in client.get(f"/udvalg/{slug}/").content.decode()


def test_a_published_summary_with_too_few_answers_shows_no_figures(sent, client, staff_client):
    survey, links = sent
    answer_all(survey, links, client, {"borger": [["helt_enig"]] * 3})
    staff_client.post(f"/arbejde/evaluering/{survey.pk}/offentliggoer/", {"offentliggoer": "ja"})
    page = client.get(f"/udvalg/{survey.committee.slug}/").content.decode()
    assert HIDDEN in page and "% af" not in page


def test_publishing_is_in_the_audit_log_with_who(sent, staff, staff_client):
    from auditlog.models import LogEntry

    survey, _links = sent
    staff_client.post(f"/arbejde/evaluering/{survey.pk}/offentliggoer/", {"offentliggoer": "ja"})
    entries = LogEntry.objects.get_for_object(survey).filter(action=LogEntry.Action.UPDATE)
    (entry,) = [e for e in entries if "published_at" in e.changes_dict]
    assert entry.actor == staff


def test_a_draft_cannot_be_published(committee, close, staff_client, client):
    survey = close(committee)
    staff_client.post(f"/arbejde/evaluering/{survey.pk}/offentliggoer/", {"offentliggoer": "ja"})
    survey.refresh_from_db()
    assert survey.published_at is None


def test_results_across_committees_and_terms(close, send, client, staff_client):
    early = TermFactory(starts_on=Term._meta.get_field("starts_on").to_python("2018-01-01"))
    late = TermFactory(
        starts_on=Term._meta.get_field("starts_on").to_python("2022-01-01"),
        ends_on=Term._meta.get_field("ends_on").to_python("2025-12-31"),
    )
    a = make_committee(term=early, name="Udvalg om cykler")
    b = make_committee(term=late, name="Udvalg om skoler")
    for committee, choice in ((a, "helt_enig"), (b, "helt_uenig")):
        survey = close(committee)
        answer_all(survey, send(survey), client, {"borger": [[choice]] * 5})
    page = staff_client.get("/arbejde/evaluering/resultater/").content.decode()
    assert f"50 % af borgerne er helt eller delvis enige i «{FIRST}»." in page
    assert "Udvalg om cykler" in page and "Udvalg om skoler" in page
    page = staff_client.get("/arbejde/evaluering/resultater/", {"valgperiode": early.slug}).content.decode()
    assert f"100 % af borgerne er helt eller delvis enige i «{FIRST}»." in page
    assert "Udvalg om skoler" not in page
    rows = rows_of(staff_client.get("/arbejde/evaluering/resultater.csv", {"valgperiode": late.slug}))
    first = next(r for r in rows if r[1] == FIRST)
    assert first[0] == str(late) and first[3:] == ["5", "0", "0", "0", "0", "5", "0", "0", "100"]


STAFF_URLS = [
    "/arbejde/evaluering/",
    "/arbejde/evaluering/resultater/",
    "/arbejde/evaluering/resultater.csv",
    "/arbejde/evaluering/{pk}/",
    "/arbejde/evaluering/{pk}/send/",
    "/arbejde/evaluering/{pk}/paamind/",
    "/arbejde/evaluering/{pk}/resultater.csv",
]


def test_only_the_secretariat_reaches_the_workspace_pages(sent, client):
    survey, _links = sent
    urls = [u.format(pk=survey.pk) for u in STAFF_URLS]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/log-ind/"), url
    assert client.post(f"/arbejde/evaluering/{survey.pk}/offentliggoer/", {"offentliggoer": "ja"}).status_code == 302
    member = PoliticianUserFactory(seat=survey.committee)
    other_staff = UserFactory(is_staff=True)  # an admin login, but not in "Sekretariat"
    for user in (UserFactory(), member, other_staff):
        c = Client()
        c.force_login(user)
        for url in urls:
            assert c.get(url).status_code == 403, (user, url)
        assert c.post(f"/arbejde/evaluering/{survey.pk}/offentliggoer/", {"offentliggoer": "ja"}).status_code == 403
        assert c.post(f"/arbejde/evaluering/{survey.pk}/paamind/", {"bekraeft": "ja"}).status_code == 403
    survey.refresh_from_db()
    assert survey.published_at is None and survey.reminded_at is None


def _answer_directly(survey, choices: str):
    statements = list(survey.statements.values_list("pk", flat=True))
    for invitation in Invitation.objects.filter(survey=survey, answered=False):
        services.answer_submit(invitation=invitation, choices=dict.fromkeys(statements, choices), free_text="Tak")


@pytest.mark.parametrize("size", [(5, 10), (20, 60)])
def test_the_results_pages_use_a_fixed_number_of_queries(
    size, close, send, staff_client, django_assert_max_num_queries
):
    politicians, citizens = size
    surveys = []
    for n in range(1 if size == (5, 10) else 4):
        committee = make_committee(politicians=politicians, citizens=citizens, name=f"Udvalg {n}")
        survey = close(committee)
        send(survey)
        _answer_directly(survey, "delvis_enig")
        surveys.append(survey)
    # The same numbers at both sizes (measured: session, user, groups, survey, statements, invitation figures,
    # answers per kind, answer counts, free texts; the list and across pages fewer).
    with django_assert_max_num_queries(9):
        page = staff_client.get(f"/arbejde/evaluering/{surveys[0].pk}/")
    assert page.status_code == 200 and "100 % af borgerne" in page.content.decode()
    with django_assert_max_num_queries(7):
        page = staff_client.get("/arbejde/evaluering/resultater/")
    assert page.status_code == 200 and "100 % af borgerne" in page.content.decode()
    with django_assert_max_num_queries(4):
        assert staff_client.get("/arbejde/evaluering/").status_code == 200
    with django_assert_max_num_queries(6):
        assert staff_client.get(f"/arbejde/evaluering/{surveys[0].pk}/resultater.csv").status_code == 200
    # The public committee page with the published summary: its own queries and the summary's 3 (survey, counts
    # per kind, counts per statement and choice).
    services.survey_publish(survey=surveys[0], publish=True)
    with django_assert_max_num_queries(13):
        page = Client().get(f"/udvalg/{surveys[0].committee.slug}/")
    assert "100 % af borgerne" in page.content.decode()
