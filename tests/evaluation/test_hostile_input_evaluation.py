"""Hostile input to the evaluation's forms: the member's answer (signed link, no account) and the staff's
statements, send, reminder and publish. See tests/hostile.py for what every example checks."""

import pytest

from gentofte_portal.evaluation.defaults import Choice
from tests.hostile import CONFIRM, F, FormSpec, form_tests, snapshot, url, world_fixture

pytestmark = pytest.mark.django_db
base_world = world_fixture()


@pytest.fixture(scope="module")
def world(base_world, django_db_blocker):
    """The shared world, plus two ended task committees: one with its survey in draft, one sent."""
    from committees.models import Committee
    from committees.services import task_committee_set_status
    from gentofte_portal.evaluation import services
    from gentofte_portal.evaluation.models import Survey
    from tests.evaluation.conftest import make_committee

    with django_db_blocker.unblock():
        drafted = make_committee(politicians=1, citizens=2, without_email=0, term=base_world.term, name="Fuzz kladde")
        sent = make_committee(politicians=1, citizens=2, without_email=0, term=base_world.term, name="Fuzz sendt")
        for committee in (drafted, sent):
            task_committee_set_status(committee=committee, status=Committee.Status.CLOSED)
        base_world.eval_draft = Survey.objects.get(committee_id=drafted.pk)
        base_world.eval_sent = Survey.objects.get(committee_id=sent.pk)
        services.survey_send(survey=base_world.eval_sent)
        base_world.eval_invitation = base_world.eval_sent.invitations.order_by("pk").first()
        base_world.baseline = snapshot()
    return base_world


def answer_fields(w) -> dict:
    fields = {
        f"udsagn_{pk}": F("choice", Choice.AGREE.value, Choice.values)
        for pk in w.eval_sent.statements.values_list("pk", flat=True)
    }
    return fields | {"free_text": F("text", "Gode møder.")}


def statement_fields(w) -> dict:
    fields = {f"s_{s.pk}": F("text", s.text) for s in w.eval_draft.statements.all()}
    return fields | {f"new_{n}": F("text", "") for n in (1, 2, 3)}


def token(w) -> str:
    from gentofte_portal.evaluation.tokens import invitation_token

    return invitation_token(w.eval_invitation)


FORMS = [
    FormSpec(
        "evaluation:answer",
        lambda w: url("evaluation:answer", token(w)),
        answer_fields,
        user="anon",
        valid_status=200,
    ),
    FormSpec("evaluation:detail", lambda w: url("evaluation:detail", w.eval_draft.pk), statement_fields),
    FormSpec("evaluation:send", lambda w: url("evaluation:send", w.eval_draft.pk), {"bekraeft": CONFIRM}),
    FormSpec("evaluation:remind", lambda w: url("evaluation:remind", w.eval_sent.pk), {"bekraeft": CONFIRM}),
    FormSpec(
        "evaluation:publish",
        lambda w: url("evaluation:publish", w.eval_sent.pk),
        {"offentliggoer": F("choice", "ja", ["ja", "nej"])},
    ),
]

test_hostile_input_is_refused_cleanly, test_each_field_alone_refuses_sharp_values_cleanly = form_tests(FORMS)
