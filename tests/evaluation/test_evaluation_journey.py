"""The evaluation over HTTP: made when a task committee ends, edited and sent by staff, answered once through a
personal link, anonymously."""

import uuid

import pytest
from django.core import mail, signing

from committees.models import Committee
from committees.services import task_committee_set_status
from gentofte_portal.evaluation.defaults import DEFAULT_STATEMENTS
from gentofte_portal.evaluation.models import Answer, AnswerItem, Invitation, Survey
from gentofte_portal.evaluation.tokens import SALT, invitation_from_token
from tests.evaluation.conftest import KIND, LINK, answers_for

pytestmark = pytest.mark.django_db


def evaluation_mails() -> list:
    """The evaluation's own emails: when a committee ends, its citizen members are also invited to the citizens'
    network (gentofte_portal.network), by an email of its own."""
    return [m for m in mail.outbox if "Evaluering af" in m.subject]


def test_a_survey_is_drafted_when_the_committee_ends_and_only_then(
    committee, close, django_capture_on_commit_callbacks
):
    recruiting = Committee.objects.create(
        kind=Committee.Kind.TASK,
        term=committee.term,
        name="Nyt udvalg",
        slug="nyt-udvalg",
        seats=3,
        status=Committee.Status.RECRUITING,
    )
    with django_capture_on_commit_callbacks(execute=True):
        task_committee_set_status(committee=recruiting, status=Committee.Status.ESTABLISHED)
    assert not Survey.objects.filter(committee=recruiting).exists()
    assert not Survey.objects.exists()

    survey = close(committee)
    assert survey.status == Survey.Status.DRAFT
    assert [s.text for s in survey.statements.all()] == DEFAULT_STATEMENTS
    assert "Det er lykkedes at rekruttere bredt" in DEFAULT_STATEMENTS
    assert not Invitation.objects.exists() and evaluation_mails() == []  # nothing is sent before staff press send


def test_staff_edit_the_statements_of_a_draft(committee, close, staff_client):
    survey = close(committee)
    page = staff_client.get(f"/arbejde/evaluering/{survey.pk}/")
    assert page.status_code == 200
    assert "Politikerne var lydhøre over for borgernes idéer og forslag" in page.content.decode()
    first, second, *rest = survey.statements.all()
    data = {f"s_{s.pk}": s.text for s in rest}
    data |= {
        f"s_{first.pk}": "Udvalget fandt gode løsninger på trafikken",
        f"s_{second.pk}": "",
        "new_1": "Møderne lå på gode tidspunkter",
    }
    response = staff_client.post(f"/arbejde/evaluering/{survey.pk}/", data)
    assert response.status_code == 302
    texts = [s.text for s in survey.statements.all()]
    assert texts[0] == "Udvalget fandt gode løsninger på trafikken"
    assert "Det er lykkedes at rekruttere bredt" not in texts
    assert texts[-1] == "Møderne lå på gode tidspunkter"
    assert len(texts) == len(DEFAULT_STATEMENTS)

    # Emptying every statement is refused next to the form, in Danish.
    response = staff_client.post(
        f"/arbejde/evaluering/{survey.pk}/", {f"s_{s.pk}": "" for s in survey.statements.all()}
    )
    assert response.status_code == 400
    assert "Evalueringen skal have mindst ét udsagn." in response.content.decode()
    response = staff_client.post(f"/arbejde/evaluering/{survey.pk}/", {f"s_{first.pk}": "Med\x00nul"})
    assert response.status_code == 400
    assert survey.statements.count() == len(DEFAULT_STATEMENTS)


def test_sending_mails_each_member_a_personal_danish_link(committee, close, send, staff_client):
    survey = close(committee)
    confirm = staff_client.get(f"/arbejde/evaluering/{survey.pk}/send/")
    assert "Hvert medlem af udvalget" in confirm.content.decode()
    assert evaluation_mails() == []
    links = send(survey)
    # 5 politicians and 9 citizens have an address; the tenth citizen has none.
    assert len(evaluation_mails()) == 14 and len(links) == 14
    assert len(set(links.values())) == 14
    message = next(m for m in evaluation_mails() if m.to == ["pol" + m.to[0][3:]] and m.to[0].startswith("pol"))
    assert message.subject == f"Evaluering af {committee.name}"
    assert "Kære Politiker" in message.body
    assert "Dit svar er anonymt" in message.body
    assert "Dit personlige link" in message.body
    kinds = dict(Invitation.objects.values_list("person__email", "member_kind"))
    assert sorted(kinds.values()).count(KIND.POLITICIAN) == 5 and sorted(kinds.values()).count(KIND.CITIZEN) == 9
    survey.refresh_from_db()
    assert survey.status == Survey.Status.SENT

    # Sent: the statements are fixed, and a second send is refused.
    statement = survey.statements.first()
    staff_client.post(f"/arbejde/evaluering/{survey.pk}/", {f"s_{statement.pk}": "Ændret"})
    statement.refresh_from_db()
    assert statement.text != "Ændret"
    again = staff_client.post(f"/arbejde/evaluering/{survey.pk}/send/", {"bekraeft": "ja"})
    assert again.status_code == 400 and "allerede sendt" in again.content.decode()
    assert len(evaluation_mails()) == 14


def test_a_member_answers_once_through_the_link(sent, client):
    survey, links = sent
    link = next(iter(links.values()))
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<fieldset") == survey.statements.count()
    assert html.count("<legend") == survey.statements.count()
    assert "Helt enig" in html and "Hverken enig eller uenig" in html and "Ved ikke" in html
    assert page["X-Robots-Tag"] == "noindex, nofollow"

    # A statement left unanswered: nothing stored, the reason next to it.
    data = answers_for(survey.statements.all())
    missing = dict(data)
    del missing[next(k for k in data if k.startswith("udsagn_"))]
    response = client.post(link, missing)
    assert response.status_code == 400
    assert "Vælg et svar (eller «Ved ikke»)." in response.content.decode()
    assert not Answer.objects.exists()

    response = client.post(link, answers_for(survey.statements.all(), "delvis_enig", "Godt samarbejde"))
    assert response.status_code == 200
    assert "Tak for dit svar" in response.content.decode()
    assert Answer.objects.count() == 1
    assert AnswerItem.objects.count() == survey.statements.count()

    second = client.post(link, answers_for(survey.statements.all(), "helt_uenig"))
    assert second.status_code == 409
    assert "Du har allerede svaret" in second.content.decode()
    assert Answer.objects.count() == 1
    assert set(AnswerItem.objects.values_list("choice", flat=True)) == {"delvis_enig"}
    assert "Du har allerede svaret" in client.get(link).content.decode()


def test_a_tampered_unknown_or_draft_link_is_not_found(committee, close, sent, client):
    survey, links = sent
    link = next(iter(links.values()))
    token = link.split("/")[2]
    tampered = f"/evaluering/{token[:-2]}{'A' if token[-2] != 'A' else 'B'}{token[-1]}/"
    assert client.get(tampered).status_code == 404
    assert client.post(tampered, answers_for(survey.statements.all())).status_code == 404
    unknown = signing.dumps(str(uuid.uuid4()), salt=SALT)
    assert client.get(f"/evaluering/{unknown}/").status_code == 404
    other_salt = signing.dumps(str(Invitation.objects.first().public_id), salt="subscriptions.manage")
    assert client.get(f"/evaluering/{other_salt}/").status_code == 404
    response = client.get("/evaluering/ikke-et-link/")
    assert response.status_code == 404 and "Linket virker ikke" in response.content.decode()
    assert not Answer.objects.exists()


def test_after_answering_nothing_links_a_person_to_an_answer(sent, client):
    survey, links = sent
    email, link = sorted(links.items())[0]
    client.post(link, answers_for(survey.statements.all(), "hverken", "Min egen kommentar"))
    invitation = Invitation.objects.get(person__email=email)
    assert invitation.answered and invitation.answered_on is not None

    # The answer's own fields: the survey, the kind, the free text, and a random id; no time, nothing of the person.
    fields = {f.name for f in Answer._meta.get_fields()}
    assert fields == {"id", "survey", "member_kind", "free_text", "items"}
    relations = {f.related_model for f in Answer._meta.get_fields() if f.is_relation}
    relations |= {f.related_model for f in AnswerItem._meta.get_fields() if f.is_relation}
    assert Invitation not in relations and not {m._meta.label for m in relations} & {"committees.Person", "auth.User"}
    assert not any(f.get_internal_type() in ("DateTimeField", "DateField") for f in Answer._meta.concrete_fields)
    assert not any(f.get_internal_type() in ("DateTimeField", "DateField") for f in AnswerItem._meta.concrete_fields)
    assert {f.name for f in Invitation._meta.concrete_fields} == {
        "id",
        "survey",
        "person",
        "member_kind",
        "public_id",
        "answered",
        "answered_on",
        "reminded_at",
    }

    # No value stored with the answer names the invitation or the person (the ids are excluded by the fields above;
    # small integers such as a statement's id would match them by chance).
    person = invitation.person
    identifying = {str(invitation.public_id), person.name, person.email}
    answer = Answer.objects.get()
    stored = [str(v) for v in Answer.objects.values_list("id", "survey_id", "member_kind", "free_text").get()]
    stored += [
        str(v) for row in AnswerItem.objects.values_list("id", "answer_id", "statement_id", "choice") for v in row
    ]
    assert not identifying & set(stored)
    assert answer.member_kind == invitation.member_kind

    # The audit log keeps no trace of answers or invitations (it records every change of the models it tracks).
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    kinds = ContentType.objects.get_for_models(Answer, AnswerItem, Invitation).values()
    assert not LogEntry.objects.filter(content_type__in=kinds).exists()
    assert isinstance(answer.pk, uuid.UUID)  # random, so the order of rows says nothing about who answered first


def test_a_reminder_goes_only_to_those_who_have_not_answered(
    sent, client, staff_client, django_capture_on_commit_callbacks
):
    survey, links = sent
    answered = sorted(links)[:3]
    for email in answered:
        client.post(links[email], answers_for(survey.statements.all()))
    mail.outbox.clear()
    page = staff_client.get(f"/arbejde/evaluering/{survey.pk}/paamind/")
    assert "11 medlemmer, der ikke har svaret" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/arbejde/evaluering/{survey.pk}/paamind/", {"bekraeft": "ja"})
    assert response.status_code == 302
    recipients = {m.to[0] for m in mail.outbox}
    assert len(recipients) == 11 and not recipients & set(answered)
    assert all(m.subject.startswith("Påmindelse: Evaluering af") for m in mail.outbox)
    for message in mail.outbox:  # the same personal link (signed anew)
        (path,) = LINK.findall(message.body)
        assert invitation_from_token(path.split("/")[2]) == invitation_from_token(links[message.to[0]].split("/")[2])

    # Everyone answered: nothing more to remind of.
    for email in set(links) - set(answered):
        client.post(links[email], answers_for(survey.statements.all()))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/arbejde/evaluering/{survey.pk}/paamind/", {"bekraeft": "ja"})
    assert response.status_code == 200 and "Alle har svaret." in response.content.decode()
    assert mail.outbox == []


def test_beat_reminds_once_after_the_set_days(sent, client, settings, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from gentofte_portal.evaluation.tasks import remind_due

    survey, links = sent
    first = sorted(links)[0]
    client.post(links[first], answers_for(survey.statements.all()))
    mail.outbox.clear()
    settings.EVALUATION_REMINDER_DAYS = 14
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due() == 0  # sent today: not yet
    Survey.objects.filter(pk=survey.pk).update(sent_at=timezone.now() - dt.timedelta(days=15))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due() == 13
    assert len(mail.outbox) == 13 and first not in {m.to[0] for m in mail.outbox}
    assert all(m.subject.startswith("Påmindelse: ") for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due() == 0  # once
    assert len(mail.outbox) == 13
    settings.EVALUATION_REMINDER_DAYS = 0
    Survey.objects.filter(pk=survey.pk).update(reminded_at=None)
    assert remind_due() == 0  # switched off


def test_beat_runs_the_reminders_daily_with_a_registered_task(settings):
    from gentofte_portal.celery import app
    from gentofte_portal.evaluation.tasks import remind_due, send_invitation

    entry = settings.CELERY_BEAT_SCHEDULE["evaluation-remind-due"]
    assert entry["task"] == "evaluation.remind_due" and entry["schedule"] <= 24 * 60 * 60
    assert app.tasks["evaluation.remind_due"].name == remind_due.name == "evaluation.remind_due"
    assert app.tasks["evaluation.send_invitation"].name == send_invitation.name == "evaluation.send_invitation"
