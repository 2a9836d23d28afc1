"""Staff open a call from the approved mandate, see the applicant pool by competence, age, gender and district, and
recommend (indstiller) applicants with a reason, every look at an application logged."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee
from recruitment.models import Application, ApplicationView, Call

pytestmark = pytest.mark.django_db

WANTED = ["Går i skole", "Er i job", "Er aktiv i foreningslivet"]  # the mandate's competences (conftest)
NOBODY_HAS = WANTED[2]


# --- Helpers ------------------------------------------------------------------------------------------------------


def make_application(call, name, *, email=None, **fields) -> Application:
    """An application row as application_submit would store it (no email is sent)."""
    values = {
        "email": email or f"{name.lower().replace(' ', '.')}@example.org",
        "postcode": "2900",
        "district": "hellerup",
        "birth_year": call.deadline_year - 20,
        "gender": "kvinde",
        "competences": [],
        "motivation": "Jeg vil gerne være med.",
        "consent_at": timezone.now(),
        **fields,
    }
    return Application.objects.create(call=call, name=name, **values)


def local(moment: dt.datetime) -> str:
    """A deadline as the datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def call_post(**overrides) -> dict:
    data = {
        "title": "Bliv medlem af Opgaveudvalg for Ungepolitik",
        "text": "Vi søger ti unge mellem 13 og 25 år.",
        "deadline": local(timezone.now() + dt.timedelta(days=30)),
    }
    data.update(overrides)
    return data


# --- Opening a call -----------------------------------------------------------------------------------------------


def test_the_call_form_shows_the_mandates_competences(client, staff, task_committee):
    client.force_login(staff)

    response = client.get(reverse("recruitment:call_create", args=[task_committee.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert all(competence in html for competence in WANTED)
    assert "Bliv medlem af Opgaveudvalg for Ungepolitik" in html  # the suggested title


def test_opening_a_call_publishes_it_with_the_mandates_competences_and_age_range(client, staff, task_committee):
    client.force_login(staff)
    before = timezone.now()

    response = client.post(reverse("recruitment:call_create", args=[task_committee.slug]), call_post())

    call = Call.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recruitment:review", args=[call.pk])
    assert call.title == "Bliv medlem af Opgaveudvalg for Ungepolitik"
    assert call.competences == WANTED
    assert (call.age_min, call.age_max) == (13, 25)
    assert before <= call.published_at <= timezone.now()
    assert call.is_open()
    assert list(call.caseworkers.all()) == [staff]
    task_committee.refresh_from_db()
    assert task_committee.status == Committee.Status.RECRUITING
    assert client.get(response["Location"]).status_code == 200  # the opener may review it at once


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param({"title": ""}, "Dette felt er påkrævet.", id="empty-title"),
        pytest.param({"title": "   "}, "Dette felt er påkrævet.", id="blank-title"),
        pytest.param(
            {"deadline": local(timezone.now() - dt.timedelta(days=1))},
            "Ansøgningsfristen skal ligge i fremtiden.",
            id="deadline-in-the-past",
        ),
        pytest.param(
            {"title": "Bliv medlem\x07"}, "Teksten indeholder usynlige kontroltegn.", id="control-character-in-title"
        ),
        pytest.param({"text": "Tekst\x1b[31m"}, "Teksten indeholder usynlige kontroltegn.", id="escape-in-text"),
        pytest.param({"text": "Tekst\x00"}, "Null-tegn er ikke tilladte.", id="nul-in-text"),  # Django's own check
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_stored(client, staff, task_committee, overrides, message):
    client.force_login(staff)

    response = client.post(reverse("recruitment:call_create", args=[task_committee.slug]), call_post(**overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Call.objects.exists()
    task_committee.refresh_from_db()
    assert task_committee.status == Committee.Status.MANDATE_APPROVED


def test_a_committee_without_an_approved_mandate_gets_no_call(client, staff, term, standing):
    proposed = Committee.objects.create(
        kind=Committee.Kind.TASK,
        term=term,
        name="Opgaveudvalg for Byrum",
        slug="byrum",
        seats=15,
        politician_seats=5,
        citizen_seats=10,
        status=Committee.Status.PROPOSED,
    )
    client.force_login(staff)

    response = client.post(reverse("recruitment:call_create", args=[proposed.slug]), call_post())

    assert response.status_code == 400
    assert "Der kan først åbnes et opslag, når Kommunalbestyrelsen har godkendt kommissoriet." in (
        response.content.decode()
    )
    assert not Call.objects.exists()
    proposed.refresh_from_db()
    assert proposed.status == Committee.Status.PROPOSED


# --- The review list: an applicant pool of 30 ---------------------------------------------------------------------

FIRST = "Oskar Ida Noah Freja Malte Clara Viggo Agnes Emil Luna Carl Aksel Ella Storm Karla".split()
FIRST += "Elias Sofie Magnus Nora Lauge Vera Anton Liva Felix Mille Otto Asta Bertram Ronja Kaja".split()
LAST = "Dahl Berg Krogh Brink Holt Skov Bach Juhl Friis Kjeldsen Brandt Mohr Aagaard Vinther Storgaard".split()
LAST += "Thygesen Bundgaard Kirk Lassen Mogensen Nygaard Ottesen Pilgaard Quist Riis Svane Toft Ulrich Wind Yde".split()
POOL_DISTRICTS = ["hellerup", "gentofte", "vangede", "ordrup", "charlottenlund"]
POOL_GENDERS = ["kvinde", "mand", "andet", "ikke_oplyst", ""]  # "" = left blank in the form
POOL_AGES = [14, 17, 19, 25, 40, 67]  # nobody 50–64
POOL_COMPETENCES = [[], [WANTED[0]], [WANTED[1]], [WANTED[0], WANTED[1]]]  # nobody WANTED[2]


@dataclass(frozen=True)
class Applicant:
    name: str
    district: str
    gender: str
    age: int
    competences: tuple[str, ...]
    status: str


POOL = [
    Applicant(
        name=f"{FIRST[i]} {LAST[(i * 7) % 30]}",  # so that name order differs from arrival order
        district=POOL_DISTRICTS[(i // 5) % 5],
        gender=POOL_GENDERS[i % 5],
        age=POOL_AGES[i % 6],
        competences=tuple(POOL_COMPETENCES[i % 4]),
        status="indstillet" if i % 7 == 3 else "modtaget",
    )
    for i in range(30)
]


@pytest.fixture
def pool(open_call):
    """The 30 applicants as rows, created in POOL's order (so arrival order is POOL's order)."""
    year = open_call.deadline_year
    return [
        make_application(
            open_call,
            a.name,
            district=a.district,
            gender=a.gender,
            birth_year=year - a.age,
            competences=list(a.competences),
            status=a.status,
        )
        for a in POOL
    ]


# Filtering by competence crashes the page: selectors.applications_for_call calls .only("pk", "competences") on a
# queryset with select_related("shortlisted_by"), which Django refuses (FieldError) — an error page, status 500.


def review(client, call, **params):
    response = client.get(reverse("recruitment:review", args=[call.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def listed_names(html: str) -> list[str]:
    """The applicants' names in the review table, top to bottom."""
    return re.findall(r'<td><a href="/arbejde/opslag/\d+/ansoegninger/\d+/">([^<]+)</a></td>', html)


def summary(html: str) -> dict[str, dict[str, int]]:
    """The pool summary as {heading: {label: count}}."""
    section = html.split('id="pulje"', 1)[1].split("</section>", 1)[0]
    return {
        heading: dict((label, int(n)) for label, n in re.findall(r"<li>([^<:]+): <strong>(\d+)</strong>", items))
        for heading, items in re.findall(r'<h3 class="h6">([^<]+)</h3><ul[^>]*>(.*?)</ul>', section)
    }


def band(age: int) -> str:
    return "under 18" if age < 18 else "18–29" if age < 30 else "30–49" if age < 50 else "50–64" if age < 65 else "65+"


def test_without_filters_every_application_is_listed(client, staff, open_call, pool):
    client.force_login(staff)

    html = review(client, open_call)

    assert sorted(listed_names(html)) == sorted(a.name for a in POOL)
    assert "30 ansøgninger vises." in html


@pytest.mark.parametrize(
    ("params", "wanted"),
    [
        pytest.param(
            {"competence": WANTED[0]},
            lambda a: WANTED[0] in a.competences,
            id="competence",
        ),
        pytest.param(
            {"competence": WANTED[1]},
            lambda a: WANTED[1] in a.competences,
            id="other-competence",
        ),
        pytest.param({"competence": NOBODY_HAS}, lambda a: False, id="competence-nobody-has"),
        pytest.param({"district": "vangede"}, lambda a: a.district == "vangede", id="district"),
        pytest.param({"age": "0-17"}, lambda a: a.age <= 17, id="under-18"),
        pytest.param({"age": "18-29"}, lambda a: 18 <= a.age <= 29, id="18-29"),
        pytest.param({"age": "50-64"}, lambda a: False, id="50-64-empty"),
        pytest.param({"age": "65-150"}, lambda a: a.age >= 65, id="65-plus"),
        pytest.param({"gender": "mand"}, lambda a: a.gender == "mand", id="gender"),
        pytest.param({"status": "indstillet"}, lambda a: a.status == "indstillet", id="status"),
        pytest.param(
            {"competence": WANTED[0], "district": "gentofte", "age": "0-17"},
            lambda a: WANTED[0] in a.competences and a.district == "gentofte" and a.age <= 17,
            id="combined",
        ),
        pytest.param(
            {"district": "gentofte", "age": "0-17", "gender": "kvinde"},
            lambda a: a.district == "gentofte" and a.age <= 17 and a.gender == "kvinde",
            id="combined-without-competence",
        ),
    ],
)
def test_each_filter_narrows_the_list(client, staff, open_call, pool, params, wanted):
    client.force_login(staff)

    shown = set(listed_names(review(client, open_call, **params)))

    expected = {a.name for a in POOL if wanted(a)}
    assert shown == expected
    assert shown < {a.name for a in POOL}, "a filter must leave someone out in this pool"


def test_filtering_by_undisclosed_gender_shows_everyone_the_summary_counts_there(client, staff, open_call, pool):
    client.force_login(staff)

    shown = set(listed_names(review(client, open_call, gender="ikke_oplyst")))

    assert shown == {a.name for a in POOL if a.gender in ("ikke_oplyst", "")}
    assert len(shown) == summary(review(client, open_call))["Køn"]["Ønsker ikke at oplyse"]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        pytest.param("", lambda a: 0, id="default-arrival"),
        pytest.param("created_at", lambda a: 0, id="arrival"),
        pytest.param("name", lambda a: a.name, id="name"),
        pytest.param("-birth_year", lambda a: a.age, id="youngest-first"),
        pytest.param("birth_year", lambda a: -a.age, id="oldest-first"),
        pytest.param("district", lambda a: a.district, id="district"),
    ],
)
def test_sort_options_order_the_rows(client, staff, open_call, pool, sort, key):
    client.force_login(staff)

    shown = listed_names(review(client, open_call, sort=sort))

    # Equal keys keep arrival order (the list's second ordering is the primary key).
    expected = [a.name for _i, a in sorted(enumerate(POOL), key=lambda pair: (key(pair[1]), pair[0]))]
    assert shown == expected
    assert sort in ("", "created_at") or shown != [a.name for a in POOL]


def test_the_pool_summary_counts_competences_ages_genders_and_districts(client, staff, open_call, pool):
    client.force_login(staff)

    html = review(client, open_call)
    shown = summary(html)

    assert "Ansøgerfeltet: 30 ansøgere, 4 indstillet" in html
    assert shown["Kompetencer"] == {c: sum(c in a.competences for a in POOL) for c in WANTED}
    assert shown["Kompetencer"][NOBODY_HAS] == 0
    assert shown["Alder"] == {
        label: sum(band(a.age) == label for a in POOL) for label in ["under 18", "18–29", "30–49", "50–64", "65+"]
    }
    assert shown["Køn"] == {
        "Kvinde": 6,
        "Mand": 6,
        "Andet": 6,
        "Ønsker ikke at oplyse": 12,  # 6 chose it, 6 left the field blank
    }
    assert shown["Bydel"] == {
        "Hellerup": 10,  # (i // 5) % 5 == 0 for i in 0–4 and 25–29
        "Gentofte": 5,
        "Vangede": 5,
        "Ordrup": 5,
        "Charlottenlund": 5,
    }


def test_a_wanted_competence_nobody_has_is_flagged(client, staff, open_call, pool):
    client.force_login(staff)

    items = re.findall(r"<li>([^<:]+): <strong>\d+</strong>(.*?)</li>", review(client, open_call))
    flagged = {label for label, rest in items if "mangler" in rest}

    assert flagged == {NOBODY_HAS}


def test_an_empty_pool_flags_every_competence(client, staff, open_call):
    client.force_login(staff)

    html = review(client, open_call)

    assert "Ansøgerfeltet: 0 ansøgere, 0 indstillet" in html
    assert html.count("mangler</span>") == len(WANTED)
    assert listed_names(html) == []


def test_one_applicant_is_counted_in_the_singular(client, staff, open_call):
    client.force_login(staff)
    make_application(open_call, "Alma Ravn")

    assert "Ansøgerfeltet: 1 ansøger, 0 indstillet" in review(client, open_call)


# --- One application: the view log and the recommendation ---------------------------------------------------------


@pytest.fixture
def application(open_call):
    return make_application(open_call, "Alma Ravn", competences=[WANTED[0]])


def detail_url(application) -> str:
    return reverse("recruitment:application", args=[application.call_id, application.pk])


def log_section(html: str) -> str:
    return html.split("Hvem har set ansøgningen", 1)[1]


def test_opening_an_application_logs_who_saw_it_and_when(client, staff, application):
    client.force_login(staff)
    before = timezone.now()

    response = client.get(detail_url(application))

    assert response.status_code == 200
    view = ApplicationView.objects.get()
    assert (view.application, view.call_id, view.user, view.action) == (application, application.call_id, staff, "vist")
    assert view.application_name == "Alma Ravn"
    assert before <= view.at <= timezone.now()
    html = response.content.decode()
    assert "alma.ravn@example.org" in html
    assert f"{timezone.localtime(view.at):%d-%m-%Y %H:%M}: Signe Holm (vist)" in log_section(html)


def test_every_look_is_logged(client, staff, application):
    client.force_login(staff)

    client.get(detail_url(application))
    html = client.get(detail_url(application)).content.decode()

    assert ApplicationView.objects.filter(application=application, user=staff, action="vist").count() == 2
    assert log_section(html).count("Signe Holm (vist)") == 2


def test_shortlisting_with_a_reason_records_the_reason_who_and_the_log(client, staff, application):
    client.force_login(staff)

    response = client.post(detail_url(application), {"action": "indstil", "reason": "  Går i skole i Hellerup.  "})

    assert response.status_code == 302
    assert response["Location"] == reverse("recruitment:review", args=[application.call_id])
    application.refresh_from_db()
    assert application.status == Application.Status.SHORTLISTED
    assert application.shortlist_reason == "Går i skole i Hellerup."
    assert application.shortlisted_by == staff
    assert ApplicationView.objects.filter(application=application, user=staff, action="indstillet").exists()
    html = client.get(detail_url(application)).content.decode()
    assert "Indstillet</strong> – Går i skole i Hellerup." in html
    assert "Signe Holm (indstillet)" in log_section(html)


@pytest.mark.parametrize("reason", ["", "   "])
def test_shortlisting_without_a_reason_is_refused(client, staff, application, reason):
    client.force_login(staff)

    response = client.post(detail_url(application), {"action": "indstil", "reason": reason})

    assert response.status_code == 400
    assert "Skriv en kort begrundelse for indstillingen." in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.shortlist_reason, application.shortlisted_by) == ("modtaget", "", None)
    assert not ApplicationView.objects.filter(action="indstillet").exists()


def test_taking_the_recommendation_back(client, staff, application):
    client.force_login(staff)
    client.post(detail_url(application), {"action": "indstil", "reason": "God motivation."})

    response = client.post(detail_url(application), {"action": "fjern", "reason": ""})

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.shortlist_reason, application.shortlisted_by) == ("modtaget", "", None)
    assert list(ApplicationView.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "indstillet",
        "indstilling fjernet",
    ]


def test_an_appointed_applications_recommendation_cannot_change(client, staff, application):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.APPOINTED)
    client.force_login(staff)

    response = client.post(detail_url(application), {"action": "fjern", "reason": ""})

    assert response.status_code == 400
    assert "Udpegningen er sket; indstillingen kan ikke ændres." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.APPOINTED
