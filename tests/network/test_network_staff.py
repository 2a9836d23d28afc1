"""The Sekretariat's network page: search by competences, interests and district, invite the chosen members to a
call or a sparring task (emails, invitation rows, the audit log), the members' numbers, who may reach it, and a
fixed number of queries however many members."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gentofte_portal.network.models import Invitation, Member
from tests.network.conftest import competence, interest, link, mails_to, make_member

pytestmark = pytest.mark.django_db

SEARCH = "/arbejde/netvaerk/"
INVITE = "/arbejde/netvaerk/inviter/"


@pytest.fixture
def members(db):
    return {
        "anna": make_member("Anna Data", district="hellerup", competences=["Data", "Ledelse"], interests=["Idræt"]),
        "bent": make_member("Bent Ledelse", district="vangede", competences=["Ledelse"], interests=["Ældre"]),
        "cille": make_member("Cille Innovation", district="hellerup", competences=["Innovation"], interests=["Ældre"]),
        "unconfirmed": make_member("Uffe Ubekræftet", competences=["Data"], confirmed=False),
    }


@pytest.fixture
def as_staff(client, staff):
    client.force_login(staff)
    return client


def names_in(response) -> set[str]:
    text = response.content.decode()
    return {n for n in ["Anna Data", "Bent Ledelse", "Cille Innovation", "Uffe Ubekræftet"] if n in text}


# --- Who may reach it --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url,method", [(SEARCH, "get"), (SEARCH + "?soeg=1", "get"), (INVITE, "post")])
def test_anonymous_visitors_are_sent_to_the_login(client, members, url, method):
    response = getattr(client, method)(url, {"members": [members["anna"].pk], "kind": "sparring", "task": "x"})
    assert response.status_code == 302 and "/log-ind/" in response["Location"]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["citizen", "politician"])
@pytest.mark.parametrize("url,method", [(SEARCH + "?soeg=1", "get"), (INVITE, "post")])
def test_other_roles_are_refused(client, request, members, role, url, method):
    client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(url, {"members": [members["anna"].pk], "kind": "sparring", "task": "x"})
    assert response.status_code == 403
    assert names_in(response) == set()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_staff_reach_it_from_the_workspace(as_staff):
    assert SEARCH in as_staff.get("/arbejde/").content.decode()


# --- Search ------------------------------------------------------------------------------------------------------


def test_search_by_competence_interest_and_district(as_staff, members):
    assert names_in(as_staff.get(SEARCH)) == set()  # no list before a search
    assert names_in(as_staff.get(SEARCH, {"soeg": 1})) == {"Anna Data", "Bent Ledelse", "Cille Innovation"}
    assert names_in(as_staff.get(SEARCH, {"competences": competence("Ledelse").pk})) == {"Anna Data", "Bent Ledelse"}
    at_least_one = {"competences": [competence("Data").pk, competence("Innovation").pk]}
    assert names_in(as_staff.get(SEARCH, at_least_one)) == {"Anna Data", "Cille Innovation"}
    assert names_in(as_staff.get(SEARCH, {"interests": interest("Ældre").pk})) == {"Bent Ledelse", "Cille Innovation"}
    assert names_in(as_staff.get(SEARCH, {"districts": "hellerup"})) == {"Anna Data", "Cille Innovation"}
    combined = {"competences": competence("Ledelse").pk, "interests": interest("Ældre").pk, "districts": "vangede"}
    assert names_in(as_staff.get(SEARCH, combined)) == {"Bent Ledelse"}
    response = as_staff.get(SEARCH, {"competences": competence("Jura").pk})
    assert "Ingen medlemmer passer til søgningen." in response.content.decode()


def test_who_saw_which_member_in_a_search_is_in_the_audit_log_by_id_only(as_staff, staff, members):
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    as_staff.get(SEARCH, {"districts": "hellerup"})
    seen = LogEntry.objects.get_for_model(Member).filter(action=LogEntry.Action.ACCESS)
    assert seen.count() == before + 2
    assert {int(e.object_pk) for e in seen} == {members["anna"].pk, members["cille"].pk}
    assert {e.actor for e in seen} == {staff}
    assert {e.object_repr for e in seen} == {
        f"Netværksmedlem {members['anna'].pk}",
        f"Netværksmedlem {members['cille'].pk}",
    }
    logged = str(list(LogEntry.objects.values("object_repr", "changes", "changes_text", "serialized_data")))
    for member in members.values():
        assert member.name not in logged and member.email not in logged


def test_a_bad_filter_is_answered_400_not_500(as_staff, members):
    response = as_staff.get(SEARCH, {"competences": "9" * 40, "districts": "atlantis"})
    assert response.status_code == 400
    assert names_in(response) == set()


def test_the_numbers_per_competence_and_district(as_staff, members):
    response = as_staff.get(SEARCH)
    numbers = response.context["numbers"]
    assert numbers["total"] == 3  # the unconfirmed signup is not counted
    per_competence = {c.name: c.n for c in numbers["competences"]}
    assert per_competence["Data"] == 1 and per_competence["Ledelse"] == 2 and per_competence["Innovation"] == 1
    assert per_competence["Jura"] == 0
    per_district = dict(numbers["districts"])
    assert per_district["Hellerup"] == 2 and per_district["Vangede"] == 1 and per_district["Ordrup"] == 0
    assert "Pr. kompetence" in response.content.decode() and "Pr. bydel" in response.content.decode()


# --- Invitations -------------------------------------------------------------------------------------------------


def test_invite_to_a_call_emails_logs_and_the_member_sees_and_declines(
    client, as_staff, staff, members, open_call, django_capture_on_commit_callbacks
):
    open_call.published_at = timezone.now() - dt.timedelta(hours=1)
    open_call.save()
    chosen = [members["anna"], members["bent"]]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_staff.post(
            INVITE, {"members": [m.pk for m in chosen], "kind": "opslag", "call": open_call.pk, "task": ""}
        )
    assert response.status_code == 302
    assert "2 invitationer er sendt." in as_staff.get(response["Location"]).content.decode()

    invitations = list(Invitation.objects.order_by("member__name"))
    assert [(i.member, i.kind, i.call, i.sent_by) for i in invitations] == [
        (m, "opslag", open_call, staff) for m in chosen
    ]
    assert {tuple(m.to) for m in mail.outbox} == {(m.email,) for m in chosen}
    message = mails_to(members["anna"].email)[0]
    assert open_call.title in message.body
    assert f"/opslag/{open_call.pk}/" in message.body
    assert mails_to(members["cille"].email) == []

    # The audit log: who invited whom (by id) to what; no name or address.
    entries = LogEntry.objects.get_for_model(Invitation).filter(action=LogEntry.Action.CREATE)
    assert entries.count() == 2
    assert {e.actor for e in entries} == {staff}
    logged = str(list(LogEntry.objects.values("object_repr", "changes", "changes_text")))
    assert "Anna Data" not in logged and members["anna"].email not in logged

    # The member sees the invitation on their page and declines it.
    client.logout()
    page = link(message, "/netvaerk/medlem/")
    text = client.get(page).content.decode()
    assert open_call.title in text and "Afslå invitationen" in text
    invitation = Invitation.objects.get(member=members["anna"])
    response = client.post(f"{page}invitationer/{invitation.pk}/afslaa/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert "Du afslog" in client.get(page).content.decode()
    assert LogEntry.objects.get_for_model(Invitation).filter(action=LogEntry.Action.UPDATE).count() == 1

    # Another member's invitation cannot be declined from this page.
    other = Invitation.objects.get(member=members["bent"])
    assert client.post(f"{page}invitationer/{other.pk}/afslaa/").status_code == 404
    other.refresh_from_db()
    assert other.declined_at is None


def test_invite_to_a_sparring_task(as_staff, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_staff.post(
            INVITE, {"members": [members["cille"].pk], "kind": "sparring", "task": "Sparring om en ny legeplads"}
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [members["cille"].email]
    assert "Sparring om en ny legeplads" in message.body
    assert Invitation.objects.get().task == "Sparring om en ny legeplads"


@pytest.mark.parametrize(
    "data,error",
    [
        ({"kind": "sparring", "task": ""}, "Beskriv sparringsopgaven."),
        ({"kind": "opslag", "task": ""}, "Vælg opslaget, du inviterer til."),
        ({"kind": "fest", "task": "x"}, "Vælg hvad du inviterer til."),
    ],
)
def test_an_invitation_without_what_it_is_about_is_refused(as_staff, members, data, error):
    response = as_staff.post(INVITE, {"members": [members["anna"].pk], **data})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_an_unconfirmed_signup_cannot_be_invited(as_staff, members):
    response = as_staff.post(INVITE, {"members": [members["unconfirmed"].pk], "kind": "sparring", "task": "x"})
    assert response.status_code == 400
    assert "Vælg blandt punkterne på listen." in response.content.decode()
    assert not Invitation.objects.exists()


# --- Fixed queries -----------------------------------------------------------------------------------------------


def _grow(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        make_member(
            f"Medlem {i:03}",
            district=["hellerup", "vangede", "ordrup"][i % 3],
            competences=[["Data"], ["Ledelse", "Innovation"], []][i % 3],
            interests=[["Idræt", "Ældre"], [], ["Erhverv"]][i % 3],
        )


def count_queries(client, url, params) -> int:
    client.get(url, params)  # warm-up: the first request also looks up content types
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("filtered", [False, True], ids=["all", "filtered"])
def test_the_search_page_makes_the_same_queries_at_two_sizes(as_staff, staff, filtered):
    params = {"soeg": 1}
    if filtered:
        params = {
            "competences": [competence("Data").pk, competence("Ledelse").pk],
            "interests": [interest("Idræt").pk],
            "districts": ["hellerup", "vangede"],
        }
    _grow(6)
    small = count_queries(as_staff, SEARCH, params)
    _grow(40, start=6)
    assert Member.objects.count() == 46
    large = count_queries(as_staff, SEARCH, params)
    assert small == large, f"{small} queries with 6 members, {large} with 46"
    assert large <= 16


def test_the_members_page_makes_the_same_queries_at_two_sizes(client, staff):
    from gentofte_portal.network.tokens import manage_token

    member = make_member("Mette Mange", competences=["Data", "Ledelse"], interests=["Idræt"])
    page = f"/netvaerk/medlem/{manage_token(member)}/"
    Invitation.objects.create(member=member, kind="sparring", task="En", sent_by=staff)
    small = count_queries(client, page, {})
    for n in range(20):
        Invitation.objects.create(member=member, kind="sparring", task=f"Opgave {n}", sent_by=staff)
    large = count_queries(client, page, {})
    assert small == large


# --- The lists -----------------------------------------------------------------------------------------------------


def test_the_secretariat_keeps_the_lists_in_the_admin_and_members_choose_from_them(client, staff):
    staff.is_staff = True  # the admin's own flag; the Sekretariat group gives the permissions
    staff.save()
    client.force_login(staff)
    response = client.post("/admin/network/competence/add/", {"name": "Frivillighed", "position": 20})
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.post("/admin/network/interest/add/", {"name": "Havnen", "position": 20})
    assert response.status_code == 302
    assert client.get("/admin/network/member/").status_code == 404  # members are not in the admin
    client.logout()
    page = client.get("/netvaerk/tilmeld/").content.decode()
    assert "Frivillighed" in page and "Havnen" in page
