"""Applicants' data is seen only by the call's caseworkers (and superusers): everyone else gets 404 for it (anonymous
users the login page), staff pages are for "Sekretariat" only, and no other page ever shows an applicant's name."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils import timezone

from committees.models import CommitteeMembership, Party
from recruitment.models import Application, ApplicationView, Call
from recruitment.permissions import calls_with_applications_visible, can_view_applications
from recruitment.services import allocation_confirm
from tests.factories import UserFactory
from tests.recruitment.conftest import COUNCIL

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "politician", "politician_standing", "other_staff", "caseworker", "superuser"]
NOT_ENTITLED = ROLES[:5]
APPLICANT_NAME = "Zenobia Quill-7731"
APPLICANT_EMAIL = "zenobia.quill-7731@example.org"

LOGIN = "→ login"
TO_REVIEW = "→ review list"


def roles(**outcomes):
    """A row of the table: the outcome for each role, in the order of ROLES."""
    assert set(outcomes) == set(ROLES)
    return outcomes


APPLICANT_DATA = roles(  # the call's applications: only caseworkers; a refusal is a 404, as if there were none
    anonymous=LOGIN,
    citizen=404,
    politician=404,
    politician_standing=404,
    other_staff=404,
    caseworker=200,
    superuser=200,
)
STAFF_PAGE = roles(  # the committee's recruitment pages: any "Sekretariat" staff member
    anonymous=LOGIN,
    citizen=403,
    politician=403,
    politician_standing=403,
    other_staff=200,
    caseworker=200,
    superuser=200,
)
EXPECTED = {
    "review": APPLICANT_DATA,
    "application": APPLICANT_DATA,
    "shortlist": {**APPLICANT_DATA, "caseworker": TO_REVIEW, "superuser": TO_REVIEW},
    "call_create": STAFF_PAGE,
    "allocation": STAFF_PAGE,
    # Lists the shortlisted applicants, so only the call's caseworkers open it.
    "appoint": {**STAFF_PAGE, "other_staff": 404},
    "overview": STAFF_PAGE,
    "vacancy": STAFF_PAGE,
    # Fair selection names the pooled applicants: a staff page, and only for the call's caseworkers.
    "selection": {**STAFF_PAGE, "other_staff": 404},
    "selection_draw": {**STAFF_PAGE, "other_staff": 404, "caseworker": 400, "superuser": 400},  # no targets set
}
# Where the same request must log a view of the application or change it (every other request leaves both alone).
WRITES = {(page, role) for page in ("application", "shortlist") for role in ("caseworker", "superuser")}


# --- The world: a call with one shortlisted applicant, an allocation, a member; a user per role --------------------


def linked_user(person, username) -> User:
    """A politician's login: a User linked to their Person."""
    user = UserFactory(username=username, first_name=person.name, last_name="")
    person.user = user
    person.save(update_fields=["user"])
    return user


@pytest.fixture
def users(staff, other_staff, council, standing):
    return {
        "anonymous": None,
        "citizen": UserFactory(username="borger"),
        "politician": linked_user(council["V"][0], "politiker-v"),  # in the council, on no committee
        "politician_standing": linked_user(council["C"][0], "politiker-c"),  # chairs the proposing committee
        "other_staff": other_staff,
        "caseworker": staff,
        "superuser": User.objects.create_superuser("admin", "admin@example.org", "pw-12345-abc"),
    }


@pytest.fixture
def world(users, staff, council, task_committee, open_call):
    application = Application.objects.create(
        call=open_call,
        name=APPLICANT_NAME,
        email=APPLICANT_EMAIL,
        phone="39 98 00 00",
        postcode="2900",
        district="hellerup",
        birth_year=open_call.deadline_year - 19,
        gender="kvinde",
        competences=["Går i skole"],
        motivation="Jeg vil være med.",
        consent_at=timezone.now(),
        status=Application.Status.SHORTLISTED,
        shortlist_reason="Stærk motivation.",
        shortlisted_by=staff,
    )
    allocation_confirm(
        committee=task_committee, groups={p: [p] for p in COUNCIL}, transfers=[], by=staff, early_ok=True
    )
    member = CommitteeMembership.objects.create(
        committee=task_committee,
        person=council["C"][1],
        member_kind="politiker",
        party=Party.objects.get(letter="C"),
        seat_group="C",
        starts_on=timezone.localdate(),
    )
    return {"committee": task_committee, "call": open_call, "application": application, "member": member}


def login_as(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


def request(client, page, world, *, application_pk=None):
    """One request to ``page``, as its user would make it."""
    call, committee = world["call"], world["committee"]
    pk = application_pk or world["application"].pk
    if page == "review":
        return client.get(reverse("recruitment:review", args=[call.pk]))
    if page == "application":
        return client.get(reverse("recruitment:application", args=[call.pk, pk]))
    if page == "shortlist":
        url = reverse("recruitment:application", args=[call.pk, pk])
        return client.post(url, {"action": "indstil", "reason": "Ændret begrundelse."})
    if page == "selection":
        return client.get(reverse("recruitment:selection", args=[call.pk]))
    if page == "selection_draw":
        return client.post(reverse("recruitment:selection_draw", args=[call.pk]))
    if page == "vacancy":
        return client.get(reverse("recruitment:vacancy", args=[committee.slug, world["member"].pk]))
    return client.get(reverse(f"recruitment:{page}", args=[committee.slug]))


def outcome(response, world):
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(reverse("login") + "?next="):
        return LOGIN
    if location == reverse("recruitment:review", args=[world["call"].pk]):
        return TO_REVIEW
    return f"302 {location}"


def page_text(response) -> str:
    """The page without what differs per request anyway: the CSRF token and the address (the language form)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(response.request["PATH_INFO"], "<address>")


def snapshot(world):
    application = Application.objects.get(pk=world["application"].pk)
    return (application.shortlist_reason, application.status, ApplicationView.objects.count())


# --- The permission matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(EXPECTED))
def test_permission_matrix(client, users, world, page, role):
    before = snapshot(world)

    response = request(login_as(client, users, role), page, world)

    assert outcome(response, world) == EXPECTED[page][role]
    changed = snapshot(world) != before
    assert changed == ((page, role) in WRITES), "a refused request must neither log a view nor change anything"


@pytest.mark.parametrize("role", ["citizen", "politician", "politician_standing", "other_staff"])
@pytest.mark.parametrize("page", ["review", "application", "shortlist"])
def test_a_refusal_looks_the_same_as_an_application_that_does_not_exist(client, users, world, page, role):
    login_as(client, users, role)
    missing = world["application"].pk + 1000

    refused = request(client, page, world)
    absent = request(client, page, world, application_pk=missing)

    assert refused.status_code == absent.status_code == 404
    assert page_text(refused) == page_text(absent)


def test_the_log_names_only_entitled_users(client, users, world):
    """Refused users leave no trace in the view log; caseworker and superuser each leave one."""
    for role in ROLES:
        request(login_as(client, users, role), "application", world)
        client.logout()

    assert set(ApplicationView.objects.values_list("user__username", flat=True)) == {"signe", "admin"}


# --- No page shows an applicant to anyone not entitled ------------------------------------------------------------

PUBLIC_PAGES = ["home", "calls", "call", "committee", "workspace"]
STAFF_PAGES = ["review", "application", "call_create", "allocation", "appoint", "overview", "vacancy", "selection"]


def get_page(client, page, world):
    call, committee = world["call"], world["committee"]
    urls = {
        "home": reverse("pages:home"),
        "calls": reverse("recruitment:calls"),
        "call": reverse("recruitment:call", args=[call.pk]),
        "committee": reverse("pages:committee", args=[committee.slug]),
        "workspace": reverse("committees:workspace"),
    }
    if page in urls:
        return client.get(urls[page], follow=True)
    return request(client, page, world)


LEAK_CASES = [
    pytest.param(
        role,
        page,
        id=f"{role}-{page}",
    )
    for role in NOT_ENTITLED
    for page in PUBLIC_PAGES + STAFF_PAGES
]


@pytest.mark.parametrize(("role", "page"), LEAK_CASES)
def test_no_applicant_name_or_email_for_anyone_not_entitled(client, users, world, role, page):
    response = get_page(login_as(client, users, role), page, world)

    html = response.content.decode()
    assert APPLICANT_NAME not in html
    assert APPLICANT_EMAIL not in html
    assert "Stærk motivation." not in html


@pytest.mark.parametrize("role", ["caseworker", "superuser"])
def test_the_caseworker_sees_the_applicant(client, users, world, role):
    """The other side of the test above, so that it cannot pass by a page showing no one."""
    login_as(client, users, role)

    review = request(client, "review", world).content.decode()
    detail = request(client, "application", world).content.decode()
    selection = request(client, "selection", world).content.decode()

    assert APPLICANT_NAME in review and APPLICANT_NAME in selection
    assert APPLICANT_NAME in detail and APPLICANT_EMAIL in detail and "Stærk motivation." in detail


def test_the_overview_links_other_staff_to_the_public_call_not_the_review(client, users, world):
    client.force_login(users["other_staff"])

    html = request(client, "overview", world).content.decode()

    assert reverse("recruitment:call", args=[world["call"].pk]) in html
    assert reverse("recruitment:review", args=[world["call"].pk]) not in html


@pytest.mark.parametrize("role", [*ROLES, "inactive caseworker"])
def test_the_overview_asks_for_all_calls_at_once_what_it_asks_for_one(users, world, role):
    """``calls_with_applications_visible`` (the overview, one query for every call) answers as
    ``can_view_applications`` (one call) does, for every role."""
    user = users.get(role) or AnonymousUser()
    if role == "inactive caseworker":
        user = users["caseworker"]
        user.is_active = False
        user.save(update_fields=["is_active"])
    closed = Call.objects.create(
        committee=world["committee"], title="Et andet opslag", deadline=timezone.now(), published_at=timezone.now()
    )
    calls = [world["call"], closed]
    closed.caseworkers.add(users["other_staff"])

    one_by_one = {call.pk for call in calls if can_view_applications(user, call)}
    at_once = calls_with_applications_visible(user, calls)

    assert at_once == one_by_one
    assert (world["call"].pk in at_once) is (role in ("caseworker", "superuser"))
    assert (closed.pk in at_once) is (role in ("other_staff", "superuser"))
