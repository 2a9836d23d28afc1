"""Hostile input to the subscription forms: subscribe (and its GET with a preselected committee), confirm, the
private manage page, delete and the one-click unsubscribe. See tests/hostile.py for what every example checks."""

import pytest
from django.utils import timezone

from gentofte_portal.subscriptions.models import Subscriber
from gentofte_portal.subscriptions.selectors import committees_to_subscribe
from gentofte_portal.subscriptions.tokens import confirm_token, manage_token, unsubscribe_token
from tests.hostile import CONFIRM, F, FormSpec, form_tests, snapshot, url, world_fixture

pytestmark = pytest.mark.django_db
base_world = world_fixture()


@pytest.fixture(scope="module")
def world(base_world, django_db_blocker):
    """The shared world, plus a confirmed and an unconfirmed subscriber."""
    with django_db_blocker.unblock():
        committee = committees_to_subscribe().first()
        base_world.subscribed = Subscriber.objects.create(email="fuzz-ida@example.org", confirmed_at=timezone.now())
        base_world.subscribed.committees.set([committee])
        base_world.unconfirmed = Subscriber.objects.create(email="fuzz-bo@example.org")
        base_world.unconfirmed.committees.set([committee])
        base_world.baseline = snapshot()
    return base_world


def committee_ids(w) -> list:
    return list(committees_to_subscribe().values_list("pk", flat=True)) + [0]


def first_committee(w) -> list:
    return [str(committees_to_subscribe().values_list("pk", flat=True).first())]


PREFERENCES = {
    "committees": F("multi", first_committee, committee_ids),
    "frequency": F("choice", "straks", ["straks", "ugentligt"]),
}
NO_LIMIT = {"SUBSCRIPTIONS_RATE_LIMIT_ADDRESS": "100000/h", "SUBSCRIPTIONS_RATE_LIMIT_IP": "100000/h"}

FORMS = [
    FormSpec(
        "subscriptions:subscribe",
        lambda w: url("subscriptions:subscribe"),
        {"email": F("email", "fuzz-ny@example.org"), **PREFERENCES, "website": F("text", "")},
        user="anon",
        settings=NO_LIMIT,
    ),
    FormSpec(
        "subscriptions:subscribe",
        lambda w: url("subscriptions:subscribe"),
        {"udvalg": F("text", lambda w: w.established.slug)},
        user="anon",
        method="GET",
    ),
    FormSpec(
        "subscriptions:confirm",
        lambda w: url(
            "subscriptions:confirm",
            confirm_token(w.unconfirmed, committee_ids=[int(first_committee(w)[0])], frequency="straks"),
        ),
        {},
        user="anon",
    ),
    FormSpec(
        "subscriptions:manage",
        lambda w: url("subscriptions:manage", manage_token(w.subscribed)),
        PREFERENCES,
        user="anon",
        valid_status=200,
    ),
    FormSpec(
        "subscriptions:delete",
        lambda w: url("subscriptions:delete", manage_token(w.subscribed)),
        {"bekraeft": CONFIRM},
        user="anon",
        valid_status=200,
    ),
    FormSpec(
        "subscriptions:unsubscribe",
        lambda w: url("subscriptions:unsubscribe", unsubscribe_token(w.subscribed)),
        {"List-Unsubscribe": F("choice", "One-Click", ["One-Click"])},
        user="anon",
        valid_status=200,
    ),
]

test_hostile_input_is_refused_cleanly, test_each_field_alone_refuses_sharp_values_cleanly = form_tests(FORMS)
