"""Hostile input to the staff workspace's forms (/arbejde/): propose a task committee, edit a mandate with its
deliverables and milestones, move it through its statuses (approval with date and meeting), comment, restore a
version, start a new revision, and the workspace's filters. See tests/hostile.py for what every example checks."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from committees.models import Mandate
from committees.models.mandate import COMMENT_SECTIONS, TEXT_SECTIONS
from tests.hostile import (
    F,
    FormSpec,
    form_tests,
    snapshot,
    snapshot_diff,
    url,
    valid_value,
    world_fixture,
)

pytestmark = pytest.mark.django_db
world = world_fixture()


def _today() -> str:
    return timezone.localdate().isoformat()


def _history_ids(w) -> list[int]:
    return list(Mandate.history.filter(id=w.draft.pk).values_list("history_id", flat=True))


def _formset(prefix: str, rows: list[dict[str, F]], max_num=30) -> dict[str, F]:
    """A formset's management form (itself hostile, e.g. TOTAL_FORMS="9"*400) and its rows' fields."""
    fields = {
        f"{prefix}-TOTAL_FORMS": F("int", str(len(rows))),
        f"{prefix}-INITIAL_FORMS": F("int", "0"),
        f"{prefix}-MIN_NUM_FORMS": F("int", "0"),
        f"{prefix}-MAX_NUM_FORMS": F("int", str(max_num)),
    }
    for i, row in enumerate(rows):
        fields.update({f"{prefix}-{i}-{name}": f for name, f in row.items()})
    return fields


MANDATE_FIELDS = {
    "lock_version": F("int", lambda w: str(w.draft.lock_version)),
    **{key: F("text", f"Afsnittet {key}: **fed** og - punkt.") for key, _title in TEXT_SECTIONS},
    "politician_count": F("int", "5"),
    "citizen_count": F("int", "10"),
    "competences": F("text", "Går i skole\nEr i job"),
    "age_min": F("int", "15"),
    "age_max": F("int", "25"),
    "starts_on": F("date", "2026-09-01"),
    "ends_on": F("date", "2027-06-30"),
    **_formset(
        "leverancer",
        [
            {
                "title": F("text", "Anbefalinger"),
                "description": F("text", "Til Kommunalbestyrelsen."),
                "due_on": F("date", "2027-05-01"),
                "ORDER": F("int", "1"),
                "DELETE": F("bool", ""),
            },
            {"title": F("text", "Ungepolitik"), "due_on": F("date"), "ORDER": F("int", "2"), "DELETE": F("bool")},
        ],
    ),
    **_formset(
        "milepaele",
        [{"date": F("date", "2026-10-01"), "title": F("text", "Første møde"), "DELETE": F("bool", "")}],
    ),
}

FORMS = [
    FormSpec(
        "committees:propose",
        lambda w: url("committees:propose"),
        {
            "name": F("text", "Opgaveudvalg for Trafik"),
            "proposed_by": F("multi", lambda w: [str(w.standing.pk)], lambda w: [w.standing.pk, w.standing2.pk, 0]),
            "purpose": F("text", "Udvalget skal se på trafikken."),
        },
    ),
    FormSpec("committees:propose", lambda w: url("committees:propose"), {"fra": F("text", "fuzz-kuf")}, method="GET"),
    FormSpec(
        "committees:mandate_edit",
        lambda w: url("committees:mandate_edit", w.draft.pk),
        MANDATE_FIELDS,
        show=lambda w: [url("committees:mandate_history", w.draft.pk)],
    ),
    FormSpec(
        "committees:mandate_transition",
        lambda w: [
            url("committees:mandate_transition", w.draft.pk, "send_til_droeftelse"),
            url("committees:mandate_transition", w.discussed.pk, "indstil"),
            url("committees:mandate_transition", w.discussed.pk, "tilbage_til_kladde"),
            url("committees:mandate_transition", w.published.pk, "offentliggoer"),
            url("committees:mandate_transition", w.draft.pk, "ukendt-status"),
        ],
        {"note": F("text", "")},
        label="status changes",
    ),
    FormSpec(
        "committees:mandate_transition",
        lambda w: [
            url("committees:mandate_transition", w.recommended.pk, "godkend"),
            url("committees:mandate_transition", w.draft.pk, "godkend"),
        ],
        {"approved_on": F("date", lambda w: _today()), "approval_reference": F("text", "KB 29.01.2018, punkt 5")},
        label="approval",
    ),
    FormSpec(
        "committees:mandate_new_revision",
        lambda w: [
            url("committees:mandate_new_revision", w.published.pk),
            url("committees:mandate_new_revision", w.draft.pk),
        ],
    ),
    FormSpec(
        "committees:mandate_comment",
        lambda w: url("committees:mandate_comment", w.discussed.pk),
        {"section": F("choice", "purpose", [k for k, _t in COMMENT_SECTIONS]), "text": F("text", "Godt forslag.")},
        user="politician",
    ),
    FormSpec(
        "committees:mandate_comment",
        lambda w: [url("committees:mandate_comment", w.discussed.pk), url("committees:mandate_comment", w.draft.pk)],
        {"section": F("choice", "task", [k for k, _t in COMMENT_SECTIONS]), "text": F("text", "Fra sekretariatet.")},
        label="staff",
    ),
    FormSpec(
        "committees:mandate_restore",
        lambda w: (
            [url("committees:mandate_restore", w.draft.pk, h) for h in _history_ids(w)]
            + [url("committees:mandate_restore", w.draft.pk, 2_000_000_000)]
        ),
        {"lock_version": F("int", lambda w: str(w.draft.lock_version))},
    ),
    FormSpec(
        "committees:workspace",
        lambda w: url("committees:workspace"),
        {"status": F("choice", "kladde", Mandate.Status.values), "udvalg": F("text", "fuzz-kuf")},
        method="GET",
    ),
    FormSpec(
        "committees:mandate_compare",
        lambda w: url("committees:mandate_compare", w.draft.pk),
        {"a": F("int", lambda w: str(_history_ids(w)[-1])), "b": F("int", lambda w: str(_history_ids(w)[0]))},
        method="GET",
    ),
]


# The two tests every table of forms gets (tests/hostile.py), collected from this module with its `world`.
test_hostile_input_is_refused_cleanly, test_each_field_alone_refuses_sharp_values_cleanly = form_tests(FORMS)


# --- Regression tests for what the fuzz found ------------------------------------------------------------------------


def _staff(w) -> Client:
    client = Client()
    client.force_login(w.users["staff"])
    return client


def _mandate_body(w, **overrides) -> dict:
    body = {name: valid_value(f, w) for name, f in MANDATE_FIELDS.items()}
    body = {name: value for name, value in body.items() if value is not None}
    body.update(overrides)
    return body


def test_a_competence_with_a_control_character_is_refused_next_to_the_field(world):
    """The competences are cleaned to a list, which the control character check skipped: they were stored."""
    response = _staff(world).post(
        url("committees:mandate_edit", world.draft.pk), _mandate_body(world, competences="Går i skole\nEr\x01 i job")
    )
    assert response.status_code == 400
    assert "kontroltegn" in response.context["form"].errors["competences"][0]
    assert snapshot_diff(world.baseline, snapshot()) == []


def test_a_huge_form_count_builds_no_more_than_thirty_deliverables(world):
    """TOTAL_FORMS="9"*400 built and re-rendered Django's 1,030 forms per formset."""
    response = _staff(world).post(
        url("committees:mandate_edit", world.draft.pk),
        _mandate_body(world, **{"leverancer-TOTAL_FORMS": "9" * 400, "milepaele-TOTAL_FORMS": "1000"}),
    )
    assert response.status_code == 400
    assert len(response.context["deliverables"].forms) <= 30
    assert len(response.context["milestones"].forms) <= 30


def test_a_committee_number_too_large_for_the_database_is_refused(world):
    """ModelMultipleChoiceField let "9"*400 through to the query: OverflowError on SQLite, a 500."""
    response = _staff(world).post(
        url("committees:propose"), {"name": "Opgaveudvalg for Trafik", "proposed_by": ["9" * 400], "purpose": "Trafik."}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["proposed_by"]
    assert snapshot_diff(world.baseline, snapshot()) == []


@pytest.mark.parametrize("nul", ["\x00", "\x1b"])
def test_filters_in_the_address_ignore_control_characters(world, nul):
    """A NUL in ?fra= or ?udvalg= reached the query: PostgreSQL refuses it (a 500). The rest of the value counts."""
    client = _staff(world)
    page = client.get(url("committees:propose"), {"fra": f"fuzz-kuf{nul}"}).content.decode()
    assert re.search(rf'value="{world.standing.pk}"[^>]*checked', page)
    page = client.get(url("committees:workspace"), {"udvalg": f"{world.task.slug}{nul}"}).content.decode()
    assert world.task.name in page
    assert "Opgaveudvalg for Kladder" not in page


def test_approving_a_mandate_that_cannot_be_approved_says_why(world):
    """The approval form was checked even where the page does not show it (a draft): the 400 said nothing."""
    response = _staff(world).post(
        url("committees:mandate_transition", world.draft.pk, "godkend"),
        {"approved_on": "31.02.2019", "approval_reference": ""},
        follow=True,
    )
    assert response.redirect_chain == [(url("committees:mandate_detail", world.draft.pk), 302)]
    assert "statusskift er ikke muligt" in response.content.decode()
    assert snapshot_diff(world.baseline, snapshot()) == []
