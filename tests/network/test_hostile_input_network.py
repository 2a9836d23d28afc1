"""Hostile input to the network's forms: the signup, the confirmation, joining from an application or an
invitation, the member's page, renew, delete and decline, and the Sekretariat's search and invitation. See
tests/hostile.py for what every example checks."""

import pytest
from django.utils import timezone

from gentofte_portal.network.models import Competence, Interest, Invitation, Member
from gentofte_portal.network.tokens import confirm_token, join_token, manage_token
from recruitment.models import DISTRICTS
from tests.hostile import CONFIRM, F, FormSpec, form_tests, snapshot, url, world_fixture

pytestmark = pytest.mark.django_db
base_world = world_fixture()


@pytest.fixture(scope="module")
def world(base_world, django_db_blocker):
    """The shared world, plus a confirmed member with an invitation and an unconfirmed signup."""
    with django_db_blocker.unblock():
        base_world.member = Member.objects.create(
            name="Fuzz Medlem", email="fuzz-medlem@example.org", district="hellerup", consent_at=timezone.now()
        )
        base_world.member.competences.set(Competence.objects.all()[:2])
        base_world.invitation = Invitation.objects.create(
            member=base_world.member, kind="sparring", task="Sparring", sent_by=base_world.users["staff"]
        )
        base_world.signup = Member.objects.create(name="Fuzz Ny", email="fuzz-ny@example.org", district="vangede")
        base_world.baseline = snapshot()
    return base_world


def competence_ids(w) -> list:
    return list(Competence.objects.values_list("pk", flat=True)) + [0]


def interest_ids(w) -> list:
    return list(Interest.objects.values_list("pk", flat=True)) + [0]


DISTRICT_KEYS = [key for key, _label in DISTRICTS]
MEMBER = {
    "name": F("text", "Fuzz Borger"),
    "district": F("choice", "hellerup", DISTRICT_KEYS),
    "competences": F("multi", lambda w: [str(competence_ids(w)[0])], competence_ids),
    "interests": F("multi", lambda w: [str(interest_ids(w)[0])], interest_ids),
}
JOIN = {**MEMBER, "consent": F("bool", "on")}
NO_LIMIT = {"NETWORK_RATE_LIMIT_ADDRESS": "100000/h", "NETWORK_RATE_LIMIT_IP": "100000/h"}

FORMS = [
    FormSpec(
        "network:signup",
        lambda w: url("network:signup"),
        {**JOIN, "email": F("email", "fuzz-borger@example.org"), "website": F("text", "")},
        user="anon",
        settings=NO_LIMIT,
    ),
    FormSpec("network:confirm", lambda w: url("network:confirm", confirm_token(w.signup)), {}, user="anon"),
    FormSpec(
        "network:join",
        lambda w: url("network:join", join_token(name="Fuzz Bo", email="fuzz-bo@example.org", committee_id=1)),
        JOIN,
        user="anon",
    ),
    FormSpec(
        "network:join_from_application", lambda w: url("network:join_from_application", w.token), JOIN, user="anon"
    ),
    FormSpec(
        "network:manage",
        lambda w: url("network:manage", manage_token(w.member)),
        MEMBER,
        user="anon",
        valid_status=200,
    ),
    FormSpec("network:renew", lambda w: url("network:renew", manage_token(w.member)), {}, user="anon"),
    FormSpec(
        "network:delete",
        lambda w: url("network:delete", manage_token(w.member)),
        {"bekraeft": CONFIRM},
        user="anon",
        valid_status=200,
    ),
    FormSpec(
        "network:decline",
        lambda w: url("network:decline", manage_token(w.member), w.invitation.pk),
        {},
        user="anon",
    ),
    FormSpec(
        "network:staff_search",
        lambda w: url("network:staff_search"),
        {
            "competences": F("multi", lambda w: [str(competence_ids(w)[0])], competence_ids),
            "interests": F("multi", None, interest_ids),
            "districts": F("multi", ["hellerup"], DISTRICT_KEYS),
        },
        method="GET",
    ),
    FormSpec(
        "network:staff_invite",
        lambda w: url("network:staff_invite"),
        {
            "members": F("multi", lambda w: [str(w.member.pk)], lambda w: [w.member.pk, w.signup.pk, 0]),
            "kind": F("choice", "sparring", ["sparring", "opslag"]),
            "call": F("int", lambda w: str(w.call.pk)),
            "task": F("text", "Sparring om en ny legeplads"),
        },
    ),
]

test_hostile_input_is_refused_cleanly, test_each_field_alone_refuses_sharp_values_cleanly = form_tests(FORMS)
