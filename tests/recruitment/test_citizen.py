"""A citizen can apply to an open call safely and see, copy, withdraw and delete their data at any time (GDPR)."""

import datetime as dt
import json
import re
import uuid
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from recruitment.models import Application, ApplicationView, Call
from recruitment.tokens import SALT, application_token
from tests.recruitment.conftest import application_data

MISSING = object()  # an override that drops the field from the post
REQUIRED_MESSAGE = "Dette felt er påkrævet."
LINK = re.compile(r"https?://\S+/ansoegning/[^/\s]+/")
CONFIRMED = {"bekraeft": "ja"}  # what the confirmation page posts (issue 13)


@pytest.fixture(autouse=True)
def _eager_email_and_fresh_rate_limit(settings):
    """The email task runs in-process (mail.outbox), and the rate limit counts in a private, empty cache: also in
    CI, where Redis is broker and cache and must not be flushed."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "citizen"}}
    cache.clear()
    yield
    cache.clear()


def apply_url(call) -> str:
    return reverse("recruitment:apply", args=[call.pk])


def form_data(**overrides) -> dict:
    data = application_data(**{k: v for k, v in overrides.items() if v is not MISSING})
    for key in [k for k, v in overrides.items() if v is MISSING]:
        del data[key]
    return data


@pytest.fixture
def post_application(client, open_call, django_capture_on_commit_callbacks):
    """POST the form like a browser would, running the on-commit email task: post(call=?, ip=?, raw=?, **overrides)."""

    def post(*, call=None, ip="127.0.0.1", via=None, raw=None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return (via or client).post(
                apply_url(call or open_call), raw if raw is not None else form_data(**overrides), REMOTE_ADDR=ip
            )

    return post


@pytest.fixture
def applied(post_application):
    """One applicant (Alma Ravn) who applied through the form; returns (application, private status path)."""
    response = post_application()
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(), status_path_from(mail.outbox[-1])


def status_path_from(email) -> str:
    link = LINK.search(email.body)
    assert link, email.body
    return urlsplit(link.group(0)).path


def deadline_year(call) -> int:
    """The deadline's year in Danish time, as the form counts it (a deadline early on 1 January Danish time is
    still 31 December in UTC)."""
    return timezone.localtime(call.deadline).year


def birth_year_for_age(call, age: int) -> str:
    return str(deadline_year(call) - age)


def assert_refused(response, field: str, message: str, before: int = 0) -> None:
    """A 4xx with the Danish message shown by the field, nothing stored and no email sent."""
    assert 400 <= response.status_code < 500, response.status_code
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    content = response.content.decode()
    assert escape(message) in content
    assert f'id="error_1_id_{field}"' in content, "the message is shown next to the field"
    assert "Ansøgningen er ikke sendt" in content
    assert Application.objects.count() == before
    assert mail.outbox == []


def tamper(token: str, index: int) -> str:
    replacement = "A" if token[index] != "A" else "B"
    return token[:index] + replacement + token[index + 1 :] if index >= 0 else tamper(token, len(token) + index)


# --- Finding a call ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/opslag/", "/"])
def test_open_call_is_listed(client, open_call, url):
    response = client.get(url)
    assert response.status_code == 200
    assert open_call.title in response.content.decode()
    assert reverse("recruitment:call", args=[open_call.pk]) in response.content.decode()


def test_call_page_shows_the_call_and_links_to_the_form(client, open_call):
    response = client.get(f"/opslag/{open_call.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert open_call.title in content
    assert "Går i skole" in content
    assert "mellem 13 og 25 år" in content
    assert f'href="/opslag/{open_call.pk}/ansoeg/"' in content


@pytest.fixture(params=["draft", "scheduled"])
def unpublished_call(request, task_committee):
    """A draft (never published) or a call to be published tomorrow: not public yet."""
    published_at = None if request.param == "draft" else timezone.now() + dt.timedelta(days=1)
    return Call.objects.create(
        committee=task_committee,
        title="Hemmeligt udkast til opslag",
        competences=["Går i skole"],
        published_at=published_at,
        deadline=timezone.now() + dt.timedelta(days=30),
    )


@pytest.mark.parametrize("path", ["/opslag/{pk}/", "/opslag/{pk}/ansoeg/", "/opslag/{pk}/kvittering/"])
def test_unpublished_call_is_404_everywhere(client, unpublished_call, path, django_capture_on_commit_callbacks):
    url = path.format(pk=unpublished_call.pk)
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, application_data()).status_code == 404
    assert Application.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("url", ["/opslag/", "/"])
def test_unpublished_call_is_not_listed(client, open_call, unpublished_call, url):
    content = client.get(url).content.decode()
    assert open_call.title in content
    assert unpublished_call.title not in content


# --- The form ------------------------------------------------------------------------------------------------------


def test_form_asks_for_what_the_issue_lists(client, open_call):
    response = client.get(apply_url(open_call))
    content = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    expected = ["name", "email", "phone", "postcode", "district", "birth_year", "gender", "competences", "motivation"]
    assert set(expected) | {"consent", "website"} == set(form.fields)
    assert not form.fields["phone"].required and not form.fields["gender"].required
    for field in ["name", "email", "postcode", "district", "birth_year", "motivation", "consent"]:
        assert form.fields[field].required, field
    assert "Telefon (valgfrit)" in content and "Køn (valgfrit)" in content
    assert '<select name="district"' in content and "Hellerup" in content and "Vangede" in content
    assert "Ønsker ikke at oplyse" in content
    for competence in open_call.competences:
        assert f'value="{competence}"' in content
    assert 'maxlength="3000"' in content
    assert 'type="checkbox" name="consent"' in content
    assert 'href="/opslag/privatliv/"' in content
    assert "mellem 13 og 25 år" in content


def test_consent_box_is_not_ticked_in_advance(client, open_call):
    content = client.get(apply_url(open_call)).content.decode()
    consent_input = re.search(r'<input[^>]*name="consent"[^>]*>', content).group(0)
    assert "checked" not in consent_input


def test_privacy_note_says_what_why_how_long_and_who(client, settings):
    settings.RECRUITMENT_RETENTION_DAYS = 45
    response = client.get("/opslag/privatliv/")
    content = response.content.decode()
    assert response.status_code == 200
    for heading in ["Hvad vi gemmer", "Hvorfor", "Hvem ser oplysningerne", "Hvor længe", "Dine rettigheder"]:
        assert heading in content
    for stored in ["Navn, e-mail, telefon", "postnummer, bydel, fødselsår", "motivation", "samtykke"]:
        assert stored in content
    assert "45 dage efter udpegningen" in content
    assert "sekretariatet" in content and "Politikere og offentligheden ser ikke ansøgningerne" in content
    assert "sletter vi den med det samme" in content
    assert "Datatilsynet" in content


@pytest.mark.parametrize(("age", "accepted"), [(12, False), (13, True), (25, True), (26, False)])
def test_age_range_of_the_mandate(post_application, open_call, age, accepted):
    response = post_application(birth_year=birth_year_for_age(open_call, age))
    if accepted:
        assert response.status_code == 302
        assert Application.objects.get().birth_year == deadline_year(open_call) - age
    else:
        message = f"Opgaveudvalget søger borgere mellem 13 og 25 år. Du fylder {age} i {deadline_year(open_call)}."
        assert_refused(response, "birth_year", message)


def test_age_is_computed_from_the_deadline_year_in_danish_time(post_application, open_call):
    copenhagen = zoneinfo.ZoneInfo("Europe/Copenhagen")
    next_year = timezone.localdate().year + 1
    open_call.deadline = dt.datetime(next_year, 1, 1, 0, 30, tzinfo=copenhagen)
    open_call.save()
    response = post_application(birth_year=str(next_year - 13))
    assert response.status_code == 302, response.context["form"].errors
    assert Application.objects.count() == 1


# --- Bad input -----------------------------------------------------------------------------------------------------

REQUIRED_FIELDS = ["name", "email", "postcode", "district", "birth_year", "motivation"]
CONSENT_MESSAGE = "Vi kan kun behandle din ansøgning, hvis du giver samtykke."
CONTROL_MESSAGE = "Teksten indeholder usynlige kontroltegn. Fjern dem og prøv igen."
INVALID_CHOICE = "Marker en gyldig valgmulighed."

BAD_INPUT = [
    *(pytest.param({f: MISSING}, f, REQUIRED_MESSAGE, id=f"{f}-missing") for f in REQUIRED_FIELDS),
    *(pytest.param({f: "   "}, f, REQUIRED_MESSAGE, id=f"{f}-blank") for f in ["name", "email", "motivation"]),
    pytest.param({"postcode": "   "}, "postcode", "Dette felt er påkrævet.", id="postcode-blank"),
    pytest.param({"consent": MISSING}, "consent", CONSENT_MESSAGE, id="consent-missing"),
    pytest.param({"consent": ""}, "consent", CONSENT_MESSAGE, id="consent-empty"),
    pytest.param({"email": "alma.ravn@"}, "email", "Indtast en gyldig e-mail-adresse.", id="email-invalid"),
    pytest.param({"email": "alma ravn@example.org"}, "email", "Indtast en gyldig e-mail-adresse.", id="email-space"),
    pytest.param({"postcode": "29A0"}, "postcode", "Et postnummer har fire cifre, fx 2820.", id="postcode-letter"),
    pytest.param({"postcode": "290"}, "postcode", "Et postnummer har fire cifre, fx 2820.", id="postcode-short"),
    pytest.param({"postcode": "29000"}, "postcode", "Et postnummer har fire cifre, fx 2820.", id="postcode-long"),
    pytest.param({"phone": "ring mig"}, "phone", "Skriv et telefonnummer med 8 cifre", id="phone-invalid"),
    pytest.param({"district": "paris"}, "district", INVALID_CHOICE, id="district-unknown"),
    pytest.param({"gender": "hemmeligt"}, "gender", INVALID_CHOICE, id="gender-unknown"),
    pytest.param(
        {"motivation": "x" * 3001}, "motivation", "Denne værdi må højst have 3000 tegn (den har 3001).", id="motiv-3001"
    ),
    pytest.param({"name": "Alma\x00Ravn"}, "name", "Null-tegn er ikke tilladte.", id="name-nul"),
    pytest.param({"name": "Alma\x07Ravn"}, "name", CONTROL_MESSAGE, id="name-bell"),
    pytest.param({"motivation": "Hej\x00med dig"}, "motivation", "Null-tegn er ikke tilladte.", id="motivation-nul"),
    pytest.param({"motivation": "Hej\x07med dig"}, "motivation", CONTROL_MESSAGE, id="motivation-bell"),
    pytest.param({"competences": ["Kan flyve"]}, "competences", INVALID_CHOICE, id="competence-not-in-call"),
    pytest.param(
        {"competences": ["Går i skole", "Kan flyve"]}, "competences", INVALID_CHOICE, id="competence-one-unknown"
    ),
    pytest.param({"birth_year": "abc"}, "birth_year", "Skriv dit fødselsår med fire cifre", id="year-abc"),
    pytest.param({"birth_year": "1850"}, "birth_year", "Fødselsåret skal ligge mellem 1900 og", id="year-1850"),
    pytest.param({"birth_year": "3000"}, "birth_year", "Fødselsåret skal ligge mellem 1900 og", id="year-future"),
    pytest.param({"birth_year": "-2000"}, "birth_year", "Fødselsåret skal ligge mellem 1900 og", id="year-negative"),
    pytest.param(
        {"birth_year": "99999999999999999999"}, "birth_year", "Fødselsåret skal ligge mellem 1900 og", id="year-huge"
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_danish_message_by_the_field(post_application, overrides, field, message):
    assert_refused(post_application(**overrides), field, message)


def test_refused_form_keeps_what_the_citizen_typed(post_application):
    response = post_application(postcode="290", motivation="Mine egne ord om ungepolitik.")
    content = response.content.decode()
    assert "Mine egne ord om ungepolitik." in content
    assert 'value="alma.ravn@example.org"' in content


def test_motivation_of_exactly_3000_characters_is_accepted(post_application):
    assert post_application(motivation="x" * 3000).status_code == 302
    assert len(Application.objects.get().motivation) == 3000


def test_passed_deadline_stores_nothing(client, post_application, open_call):
    open_call.deadline = timezone.now() - dt.timedelta(minutes=1)
    open_call.save()
    response = post_application()
    assert 400 <= response.status_code < 500
    assert "Ansøgningsfristen er overskredet" in response.content.decode()
    assert Application.objects.count() == 0
    assert mail.outbox == []
    form_page = client.get(apply_url(open_call))
    assert "Ansøgningsfristen er overskredet" in form_page.content.decode()
    assert 'name="motivation"' not in form_page.content.decode()


@pytest.mark.parametrize(
    "second_email",
    ["alma.ravn@example.org", "ALMA.RAVN@EXAMPLE.ORG", "  Alma.Ravn@Example.org  ", "\talma.ravn@example.ORG\n"],
)
def test_second_application_with_the_same_email_to_the_same_call_is_refused(applied, post_application, second_email):
    response = post_application(email=second_email, name="Alma igen")
    mail.outbox.clear()
    assert_refused(response, "email", "Der er allerede en ansøgning fra denne e-mailadresse til opslaget.", before=1)
    assert Application.objects.get().name == "Alma Ravn"


def test_same_email_may_apply_to_another_call(applied, post_application, open_call):
    other = Call.objects.create(
        committee=open_call.committee,
        title="Endnu et opslag",
        competences=open_call.competences,
        age_min=13,
        age_max=25,
        published_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=10),
    )
    response = post_application(call=other, email="ALMA.RAVN@example.org")
    assert response.status_code == 302
    assert Application.objects.filter(email="alma.ravn@example.org").count() == 2
    assert len(mail.outbox) == 2


# --- Hostile posts -------------------------------------------------------------------------------------------------

HUGE = "x" * 100_000

HOSTILE = [
    pytest.param({"name": HUGE}, id="huge-name"),
    pytest.param({"email": HUGE + "@example.org"}, id="huge-email"),
    pytest.param({"phone": "1" * 100_000}, id="huge-phone"),
    pytest.param({"postcode": HUGE}, id="huge-postcode"),
    pytest.param({"motivation": HUGE}, id="huge-motivation"),
    pytest.param({"district": HUGE}, id="huge-district"),
    pytest.param({"competences": [HUGE]}, id="huge-competence"),
    pytest.param({"birth_year": "9" * 5000}, id="huge-year"),
    pytest.param({"birth_year": "1e3"}, id="year-float"),
    pytest.param({"birth_year": "٢٠٠٦"}, id="year-arabic-digits"),
    pytest.param({"name": ["Alma", "Bo"], "email": ["a@example.org", "b@example.org"]}, id="lists-for-strings"),
    pytest.param({"birth_year": ["2006", "abc"], "postcode": ["2900", "2820"]}, id="lists-for-numbers"),
    pytest.param({"consent": ["on", "off"]}, id="list-consent"),
    pytest.param({"competences": ["Går i skole"] * 2000}, id="too-many-fields"),
]


@pytest.mark.parametrize("overrides", HOSTILE)
def test_hostile_posts_never_cause_a_500(post_application, overrides):
    response = post_application(**overrides)
    assert response.status_code in (302, 400), response.status_code
    stored = Application.objects.count()
    assert stored == (1 if response.status_code == 302 else 0)
    assert len(mail.outbox) == stored
    if stored:
        application = Application.objects.get()
        assert len(application.name) <= 200 and len(application.motivation) <= 3000


@pytest.mark.parametrize(
    "body",
    [b"name=%FF%FE&email=%E6%F8", b"name=%ED%A0%80", b"%%%&&&===", b"\x00\x01\x02", b"name=" + b"%" * 1000],
    ids=["latin1-bytes", "surrogate", "broken-encoding", "binary", "bad-percent"],
)
def test_malformed_bodies_never_cause_a_500(client, open_call, body):
    response = client.post(apply_url(open_call), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_json_body_never_causes_a_500(client, open_call):
    response = client.post(apply_url(open_call), application_data(), content_type="application/json")
    assert response.status_code == 400
    assert Application.objects.count() == 0


SCRIPT = "<script>alert('xss')</script>"


def test_html_in_name_is_stored_but_escaped_for_citizen_and_staff(client, post_application, open_call, staff):
    response = post_application(name=f"Alma {SCRIPT}", motivation=f'<img src=x onerror="alert(1)">\n{SCRIPT}')
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.name == f"Alma {SCRIPT}"
    status_path = status_path_from(mail.outbox[0])
    client.force_login(staff)
    pages = [
        status_path,
        reverse("recruitment:review", args=[open_call.pk]),
        reverse("recruitment:application", args=[open_call.pk, application.pk]),
    ]
    for page in pages:
        response = client.get(page)
        content = response.content.decode()
        assert response.status_code == 200, page
        assert "<script>alert" not in content, page
        assert "<img src=x" not in content, page
        assert "&lt;script&gt;alert(" in content, page


# --- CSRF, honeypot and rate limit ---------------------------------------------------------------------------------


def test_post_without_csrf_token_is_403_and_stores_nothing(open_call):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(apply_url(open_call), application_data())
    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_post_with_csrf_token_from_the_form_is_accepted(open_call, post_application):
    browser = Client(enforce_csrf_checks=True)
    browser.get(apply_url(open_call))
    token = browser.cookies["csrftoken"].value
    response = post_application(via=browser, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_honeypot_stores_nothing_but_looks_like_success(client, post_application, open_call):
    response = post_application(website="https://spam.example")
    receipt = reverse("recruitment:receipt", args=[open_call.pk])
    assert response.status_code == 302 and response["Location"] == receipt
    assert Application.objects.count() == 0
    assert mail.outbox == []
    assert "Tak for din ansøgning" in client.get(receipt).content.decode()


def test_rate_limit_per_ip_answers_429_in_danish(settings, post_application):
    settings.RECRUITMENT_RATE_LIMIT = "3/h"
    for i in range(3):
        assert post_application(email=f"ung{i}@example.org", ip="10.0.0.1").status_code == 302
    response = post_application(email="ung3@example.org", ip="10.0.0.1")
    assert response.status_code == 429
    content = response.content.decode()
    assert "For mange ansøgninger på kort tid" in content and "prøv igen" in content
    assert Application.objects.count() == 3
    assert len(mail.outbox) == 3
    assert post_application(email="ung4@example.org", ip="10.0.0.2").status_code == 302
    assert Application.objects.count() == 4


def test_rate_limit_counts_refused_and_honeypot_posts_too(settings, post_application):
    settings.RECRUITMENT_RATE_LIMIT = "3/h"
    assert post_application(postcode="290").status_code == 400
    assert post_application(website="spam").status_code == 302
    assert post_application(email="ok@example.org").status_code == 302
    assert post_application(email="late@example.org").status_code == 429
    assert list(Application.objects.values_list("email", flat=True)) == ["ok@example.org"]


def test_rate_limit_does_not_count_reading_the_form(settings, client, open_call, post_application):
    settings.RECRUITMENT_RATE_LIMIT = "3/h"
    for _ in range(5):
        assert client.get(apply_url(open_call)).status_code == 200
    assert post_application().status_code == 302


# --- Success, receipt and the private link ------------------------------------------------------------------------


def test_success_redirects_to_receipt_and_stores_the_application(client, post_application, open_call):
    before = timezone.now()
    response = post_application(
        name="  Alma Ravn ", email=" Alma.Ravn@Example.org ", phone="39 98 00 00", gender="ikke_oplyst"
    )
    receipt = reverse("recruitment:receipt", args=[open_call.pk])
    assert response.status_code == 302 and response["Location"] == receipt
    application = Application.objects.get()
    assert application.call == open_call
    assert application.name == "Alma Ravn"
    assert application.email == "alma.ravn@example.org"
    assert application.phone == "39 98 00 00"
    assert (application.postcode, application.district, application.gender) == ("2900", "hellerup", "ikke_oplyst")
    assert application.competences == ["Går i skole"]
    assert application.status == Application.Status.RECEIVED
    assert before <= application.consent_at <= timezone.now()
    receipt_page = client.get(receipt)
    assert receipt_page.status_code == 200
    assert "Tak for din ansøgning" in receipt_page.content.decode()


def test_exactly_one_danish_confirmation_with_the_private_link(client, settings, applied, open_call):
    application, status_path = applied
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["alma.ravn@example.org"] and not email.cc and not email.bcc
    assert email.subject == f"Kvittering: {open_call.title}"
    assert "Kære Alma Ravn" in email.body
    assert "Tak for din ansøgning om at blive medlem af Opgaveudvalg for Ungepolitik" in email.body
    assert "Linket er personligt. Del det ikke med andre." in email.body
    link = LINK.search(email.body).group(0)
    assert link.startswith(settings.PORTAL_BASE_URL.rstrip("/") + "/ansoegning/")
    page = client.get(status_path)
    content = page.content.decode()
    assert page.status_code == 200
    for shown in [
        "Alma Ravn",
        "alma.ravn@example.org",
        "2900, Hellerup",
        "Går i skole",
        "Modtaget",
        "unge bliver hørt",
    ]:
        assert shown in content


def test_confirmation_contains_no_other_applicants_data(applied, post_application):
    post_application(
        name="Bertram Krog", email="bertram@example.org", motivation="Skolen skal være bedre.", postcode="2820"
    )
    assert [m.to for m in mail.outbox] == [["alma.ravn@example.org"], ["bertram@example.org"]]
    second = mail.outbox[1]
    assert "Kære Bertram Krog" in second.body
    for other in ["Alma", "alma.ravn@example.org", "unge bliver hørt"]:
        assert other not in second.body and other not in second.subject
    assert status_path_from(second) != applied[1]


def test_each_link_shows_only_its_own_application(client, applied, post_application):
    post_application(name="Bertram Krog", email="bertram@example.org")
    bertram_page = client.get(status_path_from(mail.outbox[1])).content.decode()
    assert "Bertram Krog" in bertram_page and "Alma Ravn" not in bertram_page


def test_status_page_is_not_cached_or_indexed(client, applied):
    response = client.get(applied[1])
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize("index", [0, 5, -1, -30], ids=["payload-start", "payload", "signature-end", "signature"])
def test_tampered_token_is_404(client, applied, index):
    token = applied[1].split("/")[2]
    assert client.get(f"/ansoegning/{token}/").status_code == 200
    forged = tamper(token, index)
    assert forged != token
    for path in ["/ansoegning/{}/", "/ansoegning/{}/data.json"]:
        assert client.get(path.format(forged)).status_code == 404
    for path in ["/ansoegning/{}/traek-tilbage/", "/ansoegning/{}/slet/"]:
        assert client.get(path.format(forged)).status_code == 404
        assert client.post(path.format(forged), {"bekraeft": "ja"}).status_code == 404
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "ikke-et-token",
        signing.dumps("ikke en uuid", salt=SALT),
        signing.dumps(str(uuid.uuid4()), salt=SALT),
        signing.dumps(str(uuid.uuid4()), salt="en-anden-salt"),
    ],
    ids=["short", "junk", "signed-not-uuid", "signed-unknown-uuid", "wrong-salt"],
)
def test_invalid_tokens_are_404(client, db, token):
    assert client.get(f"/ansoegning/{token}/").status_code == 404
    assert client.get(f"/ansoegning/{token}/data.json").status_code == 404


def test_token_of_a_deleted_application_is_404(client, applied):
    application, status_path = applied
    token = application_token(application)
    Application.objects.all().delete()
    assert client.get(status_path).status_code == 404
    assert client.get(f"/ansoegning/{token}/").status_code == 404


# --- Data export ---------------------------------------------------------------------------------------------------


def test_export_is_a_json_attachment_with_all_their_data(client, post_application):
    post_application(phone="+45 39 98 00 00", competences=["Går i skole", "Er i job"])
    application = Application.objects.get()
    response = client.get(status_path_from(mail.outbox[0]) + "data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".json" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content.decode("utf-8"))
    assert data["navn"] == "Alma Ravn"
    assert data["e-mail"] == "alma.ravn@example.org"
    assert data["telefon"] == "+45 39 98 00 00"
    assert data["postnummer"] == "2900"
    assert data["bydel"] == "Hellerup"
    assert data["fødselsår"] == application.birth_year
    assert data["køn"] == "Kvinde"
    assert data["kompetencer"] == ["Går i skole", "Er i job"]
    assert data["motivation"] == "Jeg vil gerne have, at unge bliver hørt."
    assert dt.datetime.fromisoformat(data["samtykke_givet"]) == application.consent_at
    assert data["status"] == "Modtaget"
    assert data["opslag"] == "Bliv medlem af Opgaveudvalg for Ungepolitik"


# --- Withdraw and delete -------------------------------------------------------------------------------------------


def test_withdraw_deletes_the_application_at_once(client, applied):
    _application, status_path = applied
    response = client.post(status_path + "traek-tilbage/", CONFIRMED)
    assert response.status_code == 200
    assert "Din ansøgning er slettet" in response.content.decode()
    assert Application.objects.count() == 0
    assert client.get(status_path).status_code == 404
    assert client.get(status_path + "data.json").status_code == 404
    assert client.post(status_path + "traek-tilbage/", CONFIRMED).status_code == 404


@pytest.mark.parametrize("action", ["traek-tilbage/", "slet/"])
def test_withdraw_and_delete_only_ask_on_get(client, applied, action):
    """A GET (a link followed, a prefetch) shows the confirmation page and deletes nothing (issue 13)."""
    assert client.get(applied[1] + action).status_code == 200
    assert Application.objects.count() == 1


def test_withdraw_needs_csrf_token(applied):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(applied[1] + "traek-tilbage/", CONFIRMED).status_code == 403
    assert Application.objects.count() == 1


def test_appointed_member_cannot_withdraw_by_link(client, applied):
    application, status_path = applied
    Application.objects.filter(pk=application.pk).update(status=Application.Status.APPOINTED)
    response = client.post(status_path + "traek-tilbage/", CONFIRMED)
    assert response.status_code == 400
    assert "Kontakt sekretariatet" in response.content.decode()
    assert Application.objects.count() == 1


def test_refused_withdrawal_page_still_states_the_retention_period(client, settings, applied):
    settings.RECRUITMENT_RETENTION_DAYS = 90
    application, status_path = applied
    assert "Ellers sletter vi ansøgningen 90 dage" in client.get(status_path).content.decode()
    Application.objects.filter(pk=application.pk).update(status=Application.Status.APPOINTED)
    response = client.post(status_path + "traek-tilbage/", CONFIRMED)
    assert response.status_code == 400
    assert "ansøgningen  dage" not in response.content.decode()


@pytest.mark.parametrize("status", [Application.Status.RECEIVED, Application.Status.NOT_APPOINTED])
def test_delete_my_data_deletes_a_not_appointed_application(client, applied, status):
    application, status_path = applied
    Application.objects.filter(pk=application.pk).update(status=status)
    response = client.post(status_path + "slet/", CONFIRMED)
    assert response.status_code == 200
    assert "Din ansøgning er slettet" in response.content.decode()
    assert Application.objects.count() == 0
    assert client.get(status_path).status_code == 404


def test_delete_my_data_for_an_appointed_member_records_the_request(client, applied):
    application, status_path = applied
    Application.objects.filter(pk=application.pk).update(status=Application.Status.APPOINTED)
    before = timezone.now()
    response = client.post(status_path + "slet/", CONFIRMED)
    assert response.status_code == 200
    assert "Vi har modtaget din anmodning" in response.content.decode()
    application.refresh_from_db()
    assert before <= application.deletion_requested_at <= timezone.now()
    assert "Du har bedt os slette dine data" in client.get(status_path).content.decode()


@pytest.mark.parametrize("action", ["traek-tilbage/", "slet/"])
def test_view_log_keeps_the_access_but_blanks_the_name(client, applied, staff, open_call, action):
    application, status_path = applied
    staff_browser = Client()
    staff_browser.force_login(staff)
    assert staff_browser.get(reverse("recruitment:application", args=[open_call.pk, application.pk])).status_code == 200
    assert ApplicationView.objects.get().application_name == "Alma Ravn"
    client.post(status_path + action, CONFIRMED)
    log = ApplicationView.objects.get()
    assert log.application_id is None
    assert log.application_name == ""
    assert log.user == staff
    assert "Alma" not in str(log)


def test_the_error_summary_never_doubles_punctuation(client, open_call):
    """The consent label ends in a full stop and the competences label in a question mark: no ".:" or "?:"."""
    from django.urls import reverse

    response = client.post(reverse("recruitment:apply", args=[open_call.pk]), {"name": "Ida"})
    assert response.status_code == 400
    summary = response.content.decode().split('id="fejl"', 1)[1].split("</div>", 1)[0]
    assert ".:" not in summary and "?:" not in summary
    assert "<li><a href=" in summary


def test_a_call_closes_when_its_committee_is_appointed_even_before_the_deadline(client, open_call):
    """The list, the call's page and the form all say so; a late post is refused and nothing is stored."""
    from django.urls import reverse

    from recruitment.models import Application
    from recruitment.selectors import calls_open, calls_recently_closed
    from tests.recruitment.conftest import application_data

    committee = open_call.committee
    committee.status = "nedsat"
    committee.save()

    assert open_call not in calls_open() and open_call in calls_recently_closed()
    detail = client.get(reverse("recruitment:call", args=[open_call.pk])).content.decode()
    assert "Udvalgets medlemmer er udpeget, så opslaget tager ikke imod ansøgninger." in detail
    assert "Søg om at blive medlem" not in detail
    form = client.get(reverse("recruitment:apply", args=[open_call.pk]))
    assert "Udvalgets medlemmer er udpeget" in form.content.decode()
    late = client.post(reverse("recruitment:apply", args=[open_call.pk]), application_data())
    assert late.status_code == 410
    assert "Udvalgets medlemmer er udpeget" in late.content.decode()
    assert not Application.objects.exists()
