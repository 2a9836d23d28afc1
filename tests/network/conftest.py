"""Fixtures for the citizens' network: the recruitment fixtures (a task committee with an open call, staff), users
of other roles, members made as the signup would leave them, and helpers to read the links in the emails."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from committees.models import Committee, CommitteeMembership, Person
from gentofte_portal.network.models import Competence, Interest, Member
from tests.factories import PoliticianUserFactory, UserFactory
from tests.recruitment import conftest as recruitment_fixtures

term, council, standing, task_committee = (
    recruitment_fixtures.term,
    recruitment_fixtures.council,
    recruitment_fixtures.standing,
    recruitment_fixtures.task_committee,
)
staff, open_call = recruitment_fixtures.staff, recruitment_fixtures.open_call
application_data = recruitment_fixtures.application_data

BASE_URL = "https://udvalg.example.dk"
LINK = re.compile(r"https://udvalg\.example\.dk(/\S+)")


@pytest.fixture(autouse=True)
def _in_process_and_fresh_cache(settings):
    """Tasks in-process (mail.outbox), links at the public address, rate limits counted in a private, empty cache."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PORTAL_BASE_URL = BASE_URL
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "net"}}
    cache.clear()
    yield
    cache.clear()


def links(message) -> list[str]:
    """The paths of the portal's links in an email's text part."""
    return LINK.findall(message.body)


def link(message, part: str) -> str:
    return next(path for path in links(message) if part in path)


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def competence(name: str) -> Competence:
    return Competence.objects.get(name=name)


def interest(name: str) -> Interest:
    return Interest.objects.get(name=name)


def make_member(
    name: str, *, email=None, district="hellerup", competences=(), interests=(), consent_at=None, confirmed=True
) -> Member:
    """A member as the signup leaves them: confirmed (consent given ``consent_at``, default now) or not."""
    member = Member.objects.create(
        name=name,
        email=email or f"{name.lower().replace(' ', '.')}@example.org",
        district=district,
        consent_at=(consent_at or timezone.now()) if confirmed else None,
    )
    member.competences.set([competence(c) for c in competences])
    member.interests.set([interest(i) for i in interests])
    return member


@pytest.fixture
def citizen(db):
    return UserFactory(username="borger")


@pytest.fixture
def politician(db):
    return PoliticianUserFactory(username="politiker")


@pytest.fixture
def closing_committee(task_committee, council):
    """The task committee, appointed ("nedsat"), with two citizen members (one without an address) and a
    politician."""
    Committee.objects.filter(pk=task_committee.pk).update(status=Committee.Status.ESTABLISHED)
    task_committee.refresh_from_db()
    for name, email, kind in [
        ("Bo Borger", "bo.borger@example.org", "borger"),
        ("Uden Adresse", "", "borger"),
        ("Pia Politiker", "pia@example.org", "politiker"),
    ]:
        person = Person.objects.create(name=name, email=email)
        CommitteeMembership.objects.create(committee=task_committee, person=person, member_kind=kind)
    return task_committee


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)
