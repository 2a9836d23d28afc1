"""An established task committee of 5 politicians and 10 citizens (one citizen without an email address), staff to
run its evaluation, and helpers to close it, send the survey and answer it through the links in the emails."""

import re

import pytest
from django.core import mail
from django.test import Client

from committees.models import Committee, CommitteeMembership
from committees.services import task_committee_set_status
from gentofte_portal.evaluation.models import Survey
from tests.factories import (
    CommitteeMembershipFactory,
    PersonFactory,
    StaffUserFactory,
    TaskCommitteeFactory,
    TermFactory,
)

BASE_URL = "https://udvalg.example.dk"
LINK = re.compile(r"https://udvalg\.example\.dk(/evaluering/\S+/)")
KIND = CommitteeMembership.MemberKind


@pytest.fixture(autouse=True)
def _links_point_at_the_public_address(settings):
    settings.PORTAL_BASE_URL = BASE_URL
    settings.CELERY_TASK_ALWAYS_EAGER = True


def make_committee(*, politicians=5, citizens=10, without_email=1, term=None, name=None):
    committee = TaskCommitteeFactory(term=term or TermFactory(), **({"name": name} if name else {}))
    for i in range(politicians):
        person = PersonFactory(name=f"Politiker {committee.pk}-{i}", email=f"pol{committee.pk}-{i}@example.org")
        CommitteeMembershipFactory(committee=committee, person=person, member_kind=KIND.POLITICIAN)
    for i in range(citizens):
        email = "" if i < without_email else f"borger{committee.pk}-{i}@example.org"
        person = PersonFactory(name=f"Borger {committee.pk}-{i}", email=email)
        CommitteeMembershipFactory(committee=committee, person=person, member_kind=KIND.CITIZEN)
    return committee


@pytest.fixture
def committee(db):
    return make_committee()


@pytest.fixture
def staff(db):
    return StaffUserFactory()


@pytest.fixture
def staff_client(staff):
    c = Client()
    c.force_login(staff)
    return c


@pytest.fixture
def close(django_capture_on_commit_callbacks):
    def run(committee) -> Survey:
        with django_capture_on_commit_callbacks(execute=True):
            task_committee_set_status(committee=committee, status=Committee.Status.CLOSED)
        return Survey.objects.get(committee=committee)

    return run


@pytest.fixture
def send(staff_client, django_capture_on_commit_callbacks):
    """Send the survey as staff, through the confirmation page; returns {email: personal link path}."""

    def run(survey) -> dict[str, str]:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(f"/arbejde/evaluering/{survey.pk}/send/", {"bekraeft": "ja"})
        assert response.status_code == 302
        links = {}
        for message in mail.outbox[before:]:
            (path,) = LINK.findall(message.body)
            links[message.to[0]] = path
        return links

    return run


def answers_for(statements, choice="helt_enig", free_text=""):
    data = {f"udsagn_{s.pk}": choice for s in statements}
    data["free_text"] = free_text
    return data


@pytest.fixture
def sent(committee, close, send):
    """The committee closed and its survey sent: (survey, {email: link})."""
    survey = close(committee)
    return survey, send(survey)


def answer_all(survey, links: dict[str, str], client, plan: dict[str, list[list[str]]]) -> None:
    """``plan``: "pol"/"borger" -> one list of choices per respondent (one choice per statement, in order; a
    shorter list is padded with "hverken"). Answers through the links, as the members would."""
    statements = list(survey.statements.all())
    for prefix, respondents in plan.items():
        emails = sorted(e for e in links if e.startswith(prefix))
        assert len(emails) >= len(respondents)
        for email, choices in zip(emails, respondents, strict=False):
            choices = list(choices) + ["hverken"] * (len(statements) - len(choices))
            data = {f"udsagn_{s.pk}": c for s, c in zip(statements, choices, strict=True)}
            assert client.post(links[email], data).status_code == 200
