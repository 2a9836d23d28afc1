"""A draft kommissorium is seen only by staff, and by the proposing standing committee's politicians while it is put
to them for discussion; everyone else gets a 404 (anonymous users the login page), and the public sees only what
is published, never a draft's text or a comment."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.models import Mandate, MandateComment
from tests.factories import (
    CommitteeFactory,
    CommitteeMembershipFactory,
    MandateCommentFactory,
    MandateFactory,
    PoliticianUserFactory,
    StaffUserFactory,
    TaskCommitteeFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

S = Mandate.Status
STATUSES = list(S.values)  # kladde, til_droeftelse, indstillet, godkendt, offentliggjort
ROLES = ["anonymous", "citizen", "politician_outside", "politician_member", "staff"]
DRAFT_MARKER = "HEMMELIG-KLADDE-7731"
COMMENT_MARKER = "FORTROLIG-KOMMENTAR-5180"

# What a response means, so the table below reads as behaviour: a status code, or where a redirect goes.
LOGIN = "→ login"
TO_DETAIL = "→ detail"
TO_NEW_DRAFT = "→ edit new revision"
TO_HISTORY = "→ history"


def every(outcome):
    return (outcome,) * len(STATUSES)


NOBODY = {"anonymous": every(LOGIN), "citizen": every(404), "politician_outside": every(404)}

# Per page and role, the outcome in each status, in the order of STATUSES:
# (kladde, til_droeftelse, indstillet, godkendt, offentliggjort)
EXPECTED = {
    "mandate_detail": {
        **NOBODY,
        "politician_member": (404, 200, 404, 404, 404),
        "staff": every(200),
    },
    "mandate_edit": {
        **NOBODY,
        "politician_member": every(404),
        "staff": (200, 200, 200, TO_DETAIL, TO_DETAIL),
    },
    "mandate_history": {**NOBODY, "politician_member": every(404), "staff": every(200)},
    "mandate_compare": {**NOBODY, "politician_member": every(404), "staff": every(200)},
    "mandate_restore": {
        **NOBODY,
        "politician_member": every(404),
        "staff": (TO_DETAIL, TO_DETAIL, TO_DETAIL, 404, 404),
    },
    "mandate_comment": {
        **NOBODY,
        "politician_member": (404, TO_DETAIL, 404, 404, 404),
        "staff": (404, TO_DETAIL, 404, 404, 404),
    },
    "mandate_transition": {  # "send til drøftelse": only from kladde; otherwise staff get an error message
        **NOBODY,
        "politician_member": (404, 403, 404, 404, 404),
        "staff": every(TO_DETAIL),
    },
    "mandate_new_revision": {  # only an approved or published mandate can be revised
        **NOBODY,
        "politician_member": (404, 403, 404, 404, 404),
        "staff": (TO_DETAIL, TO_DETAIL, TO_DETAIL, TO_NEW_DRAFT, TO_NEW_DRAFT),
    },
    "mandate_public": {role: (404, 404, 404, 404, 200) for role in ROLES},
}

# The (page, role, status) combinations that change something; every other request must leave the data as it was.
WRITES = {
    ("mandate_restore", "staff", S.DRAFT),
    ("mandate_restore", "staff", S.IN_DISCUSSION),
    ("mandate_restore", "staff", S.RECOMMENDED),
    ("mandate_comment", "staff", S.IN_DISCUSSION),
    ("mandate_comment", "politician_member", S.IN_DISCUSSION),
    ("mandate_transition", "staff", S.DRAFT),
    ("mandate_new_revision", "staff", S.APPROVED),
    ("mandate_new_revision", "staff", S.PUBLISHED),
}


# --- The world: two standing committees, a task committee proposed by one of them, a user per role ---------------


@pytest.fixture
def term():
    return TermFactory(starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2025, 12, 31))


@pytest.fixture
def proposing(term):
    return CommitteeFactory(term=term, name="Kultur- og Fritidsudvalget", slug="kfu")


@pytest.fixture
def unrelated(term):
    return CommitteeFactory(term=term, name="Teknik- og Miljøudvalget", slug="tmu")


@pytest.fixture
def task_committee(term, proposing):
    committee = TaskCommitteeFactory(
        term=term, name="Opgaveudvalg for byrum", slug="byrum", status="forslag", starts_on=None, ends_on=None
    )
    committee.proposed_by.set([proposing])
    return committee


@pytest.fixture
def users(proposing, unrelated):
    return {
        "anonymous": None,
        "citizen": UserFactory(username="borger"),
        "politician_outside": PoliticianUserFactory(username="udenfor", seat=unrelated),
        "politician_member": PoliticianUserFactory(username="medlem", seat=proposing),
        "staff": StaffUserFactory(username="sekretaer"),
    }


def make_mandate(committee, status, *, revision=1, purpose=f"Formålet er {DRAFT_MARKER}.") -> Mandate:
    """A mandate in ``status`` with two versions in its history (so there is something to compare and restore)."""
    approved = status in (S.APPROVED, S.PUBLISHED)
    mandate = MandateFactory(
        committee=committee,
        status=status,
        revision=revision,
        purpose=purpose,
        approved_on=dt.date(2023, 3, 27) if approved else None,
        approval_reference="Kommunalbestyrelsen 27.03.2023, punkt 4" if approved else "",
    )
    mandate.background = "Byens rum skal bruges af flere."
    mandate.background_html = "<p>Byens rum skal bruges af flere.</p>"
    mandate.save()
    return mandate


def login_as(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


def versions(mandate) -> list[int]:
    return list(mandate.history.order_by("history_date", "history_id").values_list("history_id", flat=True))


def call(client, page, mandate):
    """One request to ``page`` about ``mandate``, as a user of the page would make it."""
    pk = mandate.pk
    if page == "mandate_public":
        return client.get(reverse("committees:mandate_public", args=[mandate.committee.slug]))
    if page == "mandate_compare":
        first, *_, last = versions(mandate)
        return client.get(reverse("committees:mandate_compare", args=[pk]), {"a": first, "b": last})
    if page == "mandate_restore":
        url = reverse("committees:mandate_restore", args=[pk, versions(mandate)[0]])
        return client.post(url, {"lock_version": mandate.lock_version})
    if page == "mandate_comment":
        return client.post(reverse("committees:mandate_comment", args=[pk]), {"section": "purpose", "text": "Enig."})
    if page == "mandate_transition":
        return client.post(reverse("committees:mandate_transition", args=[pk, "send_til_droeftelse"]))
    if page == "mandate_new_revision":
        return client.post(reverse("committees:mandate_new_revision", args=[pk]))
    return client.get(reverse(f"committees:{page}", args=[pk]))


def outcome(response, mandate):
    """The response as one of the table's outcomes: a status code, or the kind of page a redirect leads to."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(reverse("login") + "?next="):
        return LOGIN
    if location.split("#")[0] == reverse("committees:mandate_detail", args=[mandate.pk]):
        return TO_DETAIL
    if location == reverse("committees:mandate_history", args=[mandate.pk]):
        return TO_HISTORY
    newer = mandate.committee.mandates.filter(revision=mandate.revision + 1).first()
    if newer and location == reverse("committees:mandate_edit", args=[newer.pk]):
        return TO_NEW_DRAFT
    return f"302 {location}"


def snapshot(mandate):
    """Everything a request could change about a mandate."""
    mandate.refresh_from_db()
    return (
        mandate.status,
        mandate.lock_version,
        mandate.history.count(),
        mandate.comments.count(),
        mandate.transitions.count(),
        mandate.committee.mandates.count(),
    )


# --- The permission matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(EXPECTED))
def test_permission_matrix(client, users, task_committee, page, role, status):
    mandate = make_mandate(task_committee, status)
    before = snapshot(mandate)

    response = call(login_as(client, users, role), page, mandate)

    assert outcome(response, mandate) == EXPECTED[page][role][STATUSES.index(status)]
    changed = snapshot(mandate) != before
    assert changed == ((page, role, status) in WRITES), "a refused request must not change anything"


@pytest.mark.parametrize("role", ["anonymous", "citizen", "politician_outside", "politician_member"])
@pytest.mark.parametrize("page", ["mandate_detail", "mandate_history", "mandate_comment"])
def test_a_refusal_looks_the_same_as_a_mandate_that_does_not_exist(client, users, task_committee, page, role):
    mandate = make_mandate(task_committee, S.DRAFT)
    login_as(client, users, role)
    missing = Mandate(pk=mandate.pk + 1000, committee=task_committee, revision=1)

    assert outcome(call(client, page, mandate), mandate) == outcome(call(client, page, missing), missing)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("citizen", 403), ("politician_outside", 200), ("politician_member", 200), ("staff", 200)],
)
def test_who_may_open_the_workspace(client, users, role, expected):
    """Politicians with any current seat may open it (an empty list if nothing is put to their committee)."""
    response = login_as(client, users, role).get(reverse("committees:workspace"))

    assert outcome(response, None) == expected


def test_staff_opening_an_approved_mandate_for_editing_are_sent_to_the_detail_page_with_a_message(
    client, users, task_committee
):
    mandate = make_mandate(task_committee, S.APPROVED)
    client.force_login(users["staff"])

    response = client.get(reverse("committees:mandate_edit", args=[mandate.pk]), follow=True)

    assert response.redirect_chain == [(reverse("committees:mandate_detail", args=[mandate.pk]), 302)]
    assert "Kommissoriet er godkendt og kan ikke ændres. Start en ny revision." in response.content.decode()


# --- Seats: only a current politician seat in a proposing standing committee counts --------------------------------


@pytest.mark.parametrize(
    ("seat", "sees_draft"),
    [
        ({}, True),
        ({"ends_on": timezone.localdate() + dt.timedelta(days=30)}, True),
        ({"ends_on": timezone.localdate() - dt.timedelta(days=1)}, False),
        ({"member_kind": "borger"}, False),
    ],
    ids=["open-ended", "ends-later", "ended-yesterday", "citizen-seat"],
)
def test_only_a_current_politician_seat_in_the_proposing_committee_opens_the_draft(
    client, proposing, task_committee, seat, sees_draft
):
    user = PoliticianUserFactory(seat=proposing, **{f"seat__{key}": value for key, value in seat.items()})
    mandate = make_mandate(task_committee, S.IN_DISCUSSION)
    client.force_login(user)

    detail = client.get(reverse("committees:mandate_detail", args=[mandate.pk]))
    workspace = client.get(reverse("committees:workspace"))

    assert detail.status_code == (200 if sees_draft else 404)
    assert workspace.status_code == (200 if sees_draft else 403)
    assert (DRAFT_MARKER in detail.content.decode()) is sees_draft


# --- Comments ---------------------------------------------------------------------------------------------------


def test_a_member_of_the_proposing_committee_comments_on_a_draft_in_discussion(client, users, task_committee):
    mandate = make_mandate(task_committee, S.IN_DISCUSSION)
    client.force_login(users["politician_member"])

    response = client.post(
        reverse("committees:mandate_comment", args=[mandate.pk]), {"section": "task", "text": "Husk cyklerne."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("committees:mandate_detail", args=[mandate.pk]) + "#afsnit-task"
    comment = MandateComment.objects.get()
    assert (comment.mandate, comment.author, comment.section, comment.text) == (
        mandate,
        users["politician_member"],
        "task",
        "Husk cyklerne.",
    )


def test_a_member_cannot_comment_on_a_draft_not_put_to_the_committee(client, users, task_committee):
    mandate = make_mandate(task_committee, S.DRAFT)
    client.force_login(users["politician_member"])

    response = client.post(
        reverse("committees:mandate_comment", args=[mandate.pk]), {"section": "task", "text": "Husk cyklerne."}
    )

    assert response.status_code == 404
    assert not MandateComment.objects.exists()


# --- What the public pages and the workspace list never show -----------------------------------------------------

NON_ENTITLED = [
    (role, status)
    for status in STATUSES
    if status != S.PUBLISHED
    for role in ["anonymous", "citizen", "politician_outside", "politician_member"]
    if not (role == "politician_member" and status == S.IN_DISCUSSION)
]


def public_pages(committee) -> list[str]:
    return [
        "/",
        reverse("committees:list"),
        reverse("pages:committee", args=[committee.slug]),
        reverse("committees:mandate_public", args=[committee.slug]),
    ]


@pytest.mark.parametrize(("role", "status"), NON_ENTITLED)
def test_a_draft_text_appears_on_no_page_for_those_not_entitled_to_it(client, users, task_committee, role, status):
    mandate = make_mandate(task_committee, status)
    MandateCommentFactory(mandate=mandate, author=users["staff"], text=COMMENT_MARKER)
    login_as(client, users, role)
    pages = public_pages(task_committee) + [reverse("committees:workspace")]
    pages += [reverse(f"committees:{p}", args=[mandate.pk]) for p in ("mandate_detail", "mandate_history")]

    for url in pages:
        page = client.get(url).content.decode()
        assert DRAFT_MARKER not in page, url
        assert COMMENT_MARKER not in page, url


@pytest.mark.parametrize("role", ROLES)
def test_the_public_sees_the_published_revision_not_the_draft_of_the_next(client, users, task_committee, role):
    published = make_mandate(task_committee, S.PUBLISHED, purpose="Det offentliggjorte formål.")
    MandateCommentFactory(mandate=published, author=users["politician_member"], text=COMMENT_MARKER)
    draft = make_mandate(task_committee, S.IN_DISCUSSION, revision=2)
    MandateCommentFactory(mandate=draft, author=users["politician_member"], text=COMMENT_MARKER + "-2")
    login_as(client, users, role)

    for url in public_pages(task_committee):
        page = client.get(url).content.decode()
        assert DRAFT_MARKER not in page, url
        assert COMMENT_MARKER not in page, url
    assert "Det offentliggjorte formål." in client.get(reverse("pages:committee", args=["byrum"])).content.decode()
    kommissorium = client.get(reverse("committees:mandate_public", args=["byrum"])).content.decode()
    assert "Det offentliggjorte formål." in kommissorium
    assert "Revision 2" not in kommissorium


def test_a_politician_workspace_lists_only_the_drafts_in_discussion_of_their_committee(
    client, users, term, proposing, unrelated
):
    names = {}
    for status, proposer, name in [
        (S.IN_DISCUSSION, proposing, "Opgaveudvalg for byrum"),
        (S.DRAFT, proposing, "Opgaveudvalg for idræt"),
        (S.RECOMMENDED, proposing, "Opgaveudvalg for kulturhuse"),
        (S.APPROVED, proposing, "Opgaveudvalg for biblioteker"),
        (S.PUBLISHED, proposing, "Opgaveudvalg for musik"),
        (S.IN_DISCUSSION, unrelated, "Opgaveudvalg for trafik"),
    ]:
        committee = TaskCommitteeFactory(term=term, name=name, status="forslag")
        committee.proposed_by.set([proposer])
        make_mandate(committee, status)
        names[name] = status
    client.force_login(users["politician_member"])

    page = client.get(reverse("committees:workspace")).content.decode()

    listed = {name for name in names if re.search(rf">{re.escape(name)}</a>", page)}
    assert listed == {"Opgaveudvalg for byrum"}
    assert DRAFT_MARKER not in page  # the list shows names, not texts

    client.force_login(users["staff"])
    staff_page = client.get(reverse("committees:workspace")).content.decode()
    assert all(f">{name}</a>" in staff_page for name in names)


def test_a_politician_in_two_co_proposing_committees_sees_the_true_comment_count(
    client, users, term, proposing, unrelated
):
    politician = users["politician_member"]
    CommitteeMembershipFactory(committee=unrelated, person=politician.person, member_kind="politiker")
    committee = TaskCommitteeFactory(term=term, name="Opgaveudvalg for fællesskaber", status="forslag")
    committee.proposed_by.set([proposing, unrelated])
    mandate = make_mandate(committee, S.IN_DISCUSSION)
    MandateCommentFactory(mandate=mandate, author=users["staff"], text="Én kommentar.")
    client.force_login(politician)

    page = client.get(reverse("committees:workspace")).content.decode()

    rows = re.findall(r">Opgaveudvalg for fællesskaber</a></td>(.*?)</tr>", page, re.S)
    assert len(rows) == 1
    *_, comment_count = re.findall(r"<td>(.*?)</td>", rows[0])
    assert comment_count == "1"


def test_staff_cannot_restore_another_mandates_version_into_this_one(client, users, task_committee, term):
    mandate = make_mandate(task_committee, S.DRAFT, purpose="Byrummets formål.")
    other = make_mandate(TaskCommitteeFactory(term=term, name="Opgaveudvalg for skove"), S.DRAFT)
    client.force_login(users["staff"])
    before = snapshot(mandate)

    response = client.post(
        reverse("committees:mandate_restore", args=[mandate.pk, versions(other)[0]]),
        {"lock_version": mandate.lock_version},
    )

    assert outcome(response, mandate) == TO_HISTORY
    assert snapshot(mandate) == before
    assert DRAFT_MARKER not in mandate.purpose


def test_the_purpose_typed_when_proposing_stays_in_the_draft(client, users, proposing):
    client.force_login(users["staff"])
    response = client.post(
        reverse("committees:propose"),
        {"name": "Opgaveudvalg for havne", "proposed_by": [proposing.pk], "purpose": f"Formålet er {DRAFT_MARKER}."},
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get(committee__name="Opgaveudvalg for havne")
    assert mandate.status == S.DRAFT and DRAFT_MARKER in mandate.purpose
    client.logout()

    for url in public_pages(mandate.committee):
        assert DRAFT_MARKER not in client.get(url).content.decode(), url
