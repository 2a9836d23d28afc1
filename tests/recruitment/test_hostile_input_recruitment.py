"""Hostile input to recruitment's forms: the citizen's application and the actions on their private status page
(withdraw, delete), and staff's call, review filters, shortlist, allocation (valggrupper and seat transfers),
appointment and vacancies. See tests/hostile.py for what every example checks."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from recruitment.models import DISTRICTS, Application, Call, Gender
from tests.hostile import CONFIRM, F, FormSpec, form_tests, snapshot, snapshot_diff, url, world_fixture

pytestmark = pytest.mark.django_db
world = world_fixture()

DISTRICT_KEYS = [key for key, _label in DISTRICTS]


def _deadline() -> str:
    return (timezone.localtime() + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")


def _appoint_fields(w) -> dict[str, F]:
    from recruitment.forms import AppointmentForm

    groups = [group for group, seats in w.allocation.final_seats.items() if seats]
    roles = [value for value, _label in AppointmentForm.ROLE_CHOICES]
    fields = {
        name: F("choice", value, roles if name.startswith("politiker-") else ["", *groups])
        for name, value in w.appoint_valid.items()
    }
    fields["before_deadline"] = F("choice", "on", ["on", ""])
    return fields


APPLICATION = {
    "name": F("text", "Alma Ny"),
    "email": F("email", "alma.ny@example.org"),
    "phone": F("text", "39 98 00 00"),
    "postcode": F("text", "2900"),
    "district": F("choice", "hellerup", DISTRICT_KEYS),
    "birth_year": F("int", lambda w: str(timezone.localdate().year - 30)),
    "gender": F("choice", "kvinde", Gender.values),
    "competences": F("multi", ["Går i skole"], lambda w: w.call.competences),
    "motivation": F("text", "Jeg vil gerne have, at unge bliver hørt."),
    "consent": F("bool", "on"),
    "website": F("text", ""),  # the honeypot
}

FORMS = [
    FormSpec("recruitment:apply", lambda w: url("recruitment:apply", w.call.pk), APPLICATION, user="anon"),
    FormSpec(
        "recruitment:withdraw",
        lambda w: [url("recruitment:withdraw", w.token), url("recruitment:withdraw", "ikke-et-token")],
        {"bekraeft": CONFIRM},
        user="anon",
        valid_status=200,
    ),
    FormSpec(
        "recruitment:delete",
        lambda w: [url("recruitment:delete", w.token), url("recruitment:delete", w.token[:-3] + "abc")],
        {"bekraeft": CONFIRM},
        user="anon",
        valid_status=200,
    ),
    FormSpec(
        "recruitment:call_create",
        lambda w: url("recruitment:call_create", w.task.slug),
        {
            "title": F("text", "Bliv medlem"),
            "text": F("text", "Vi søger **unge** borgere.\n\n- gerne fra skoler"),
            "deadline": F("datetime", lambda w: _deadline()),
        },
        show=lambda w: [url("recruitment:calls")] + [url("recruitment:call", c.pk) for c in Call.objects.all()],
    ),
    FormSpec(
        "recruitment:review",
        lambda w: url("recruitment:review", w.call.pk),
        {
            "competence": F("choice", "Er i job", lambda w: w.call.competences),
            "district": F("choice", "hellerup", DISTRICT_KEYS),
            "age": F("choice", "30-49", ["0-17", "18-29", "30-49", "50-64", "65-150"]),
            "gender": F("choice", "kvinde", Gender.values),
            "status": F("choice", "modtaget", Application.Status.values),
            "sort": F("choice", "name", ["created_at", "name", "-birth_year", "birth_year", "district"]),
        },
        method="GET",
    ),
    FormSpec(
        "recruitment:application",
        lambda w: [url("recruitment:application", w.call.pk, a.pk) for a in (w.applications[3], w.applications[0])],
        {"reason": F("text", "Stærk motivation og relevant erfaring."), "action": F("choice", "", ["", "fjern"])},
    ),
    FormSpec(
        "recruitment:allocation",
        lambda w: url("recruitment:allocation", w.task.slug),
        lambda w: {
            "transfer_from": F("text", ""),
            "transfer_to": F("text", ""),
            "before_deadline": F("choice", "on", ["on", ""]),
            "action": F("choice", "beregn", ["beregn", "bekraeft"]),
            **{f"party_{letter}": F("text", "A+F" if letter in "AF" else letter) for letter in w.council},
        },
        valid_status=200,  # "beregn" shows the preview
    ),
    FormSpec(
        "recruitment:lot_redraw",
        lambda w: url("recruitment:lot_redraw", w.task.slug),
        {"reason": F("text", "Valggrupperne var indtastet forkert.")},
        show=lambda w: [url("pages:committee", w.task.slug), url("recruitment:allocation", w.task.slug)],
    ),
    FormSpec(
        "recruitment:appoint",
        lambda w: url("recruitment:appoint", w.task.slug),
        _appoint_fields,
        show=lambda w: [url("pages:committee", w.task.slug)],
    ),
    FormSpec(
        "recruitment:selection",
        lambda w: url("recruitment:selection", w.call.pk),
        {
            "koen-0-min": F("int", "1"),
            "koen-0-max": F("int", "3"),
            "alder-2-min": F("int", ""),
            "alder-2-max": F("int", "3"),
            "bydel-3-min": F("int", "0"),
            "bydel-3-max": F("int", ""),
            "kompetence-1-min": F("int", "1"),
            "kompetence-1-max": F("int", "3"),
        },
        show=lambda w: [url("recruitment:selection", w.call.pk)],
    ),
    FormSpec(
        "recruitment:selection_redraw",
        lambda w: url("recruitment:selection_redraw", w.call.pk),
        {"reason": F("text", "En ansøger har trukket sin ansøgning tilbage.")},
        show=lambda w: [url("recruitment:selection", w.call.pk), url("recruitment:appoint", w.task.slug)],
    ),
    # The world's panel is drawn (tests/hostile.py), so "Træk panelet" is refused, cleanly: it is drawn once. The
    # draw itself is tested in tests/recruitment/test_selection.py. No field but the CSRF token.
    FormSpec(
        "recruitment:selection_draw",
        lambda w: url("recruitment:selection_draw", w.call.pk),
        {"action": F("choice", "traek", ["traek"])},
        valid_status=400,
    ),
    FormSpec(
        "recruitment:vacancy",
        lambda w: [
            url("recruitment:vacancy", w.established.slug, w.member_politician.pk),
            url("recruitment:vacancy", w.established.slug, w.member_citizen.pk),
        ],
        lambda w: {
            "ends_on": F("date", timezone.localdate().isoformat()),
            "replacement": F("choice", "", [p.pk for p in w.council["C"][5:8]] + [a.pk for a in w.applications]),
        },
        show=lambda w: [url("pages:committee", w.established.slug)],
    ),
]


# The two tests every table of forms gets (tests/hostile.py), collected from this module with its `world`.
test_hostile_input_is_refused_cleanly, test_each_field_alone_refuses_sharp_values_cleanly = form_tests(FORMS)


# --- Regression tests for what the fuzz found ------------------------------------------------------------------------


def _allocation_post(w, **overrides) -> dict:
    body = {"transfer_from": "", "transfer_to": "", "action": "bekraeft", "before_deadline": "on"}
    body.update({f"party_{letter}": letter for letter in w.council})
    body.update(overrides)
    return body


def test_a_posted_lot_seed_is_ignored(world):
    """ "²" passed str.isdigit() and then failed int() in the draw (a 500) when the browser carried the seed; now
    the server keeps the draw, and whatever seed is posted changes nothing."""
    client = Client()
    client.force_login(world.users["staff"])
    body = _allocation_post(world, seed="²", action="beregn")
    response = client.post(url("recruitment:allocation", world.task.slug), body)
    assert response.status_code == 200
    assert "seed" not in response.context["form"].errors


def test_a_group_label_with_a_control_character_is_refused_next_to_the_field(world):
    """The valggruppe labels were the one staff form without the control character check: stored in the JSON."""
    client = Client()
    client.force_login(world.users["staff"])
    response = client.post(url("recruitment:allocation", world.task.slug), _allocation_post(world, party_A="A\x01F"))
    assert response.status_code == 400
    assert "kontroltegn" in response.content.decode()
    assert snapshot_diff(world.baseline, snapshot()) == []
