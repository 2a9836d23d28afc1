"""Fixtures for the subscription tests: a real SMTP server (aiosmtpd) on a free port that the portal sends to, the
meeting fixtures of tests/meetings, and helpers to publish through the services as staff."""

import email
import re
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache

from gentofte_portal.subscriptions import tasks
from meetings import services
from tests.meetings import conftest as meeting_fixtures

# The meeting tests' fixtures, used here by name.
term, committee, other_committee, members = (
    meeting_fixtures.term,
    meeting_fixtures.committee,
    meeting_fixtures.other_committee,
    meeting_fixtures.members,
)
staff, meeting, add_item = meeting_fixtures.staff, meeting_fixtures.meeting, meeting_fixtures.add_item

BASE_URL = "https://udvalg.example.dk"
LINK = re.compile(r"https://udvalg\.example\.dk/\S+")


class Mailbox:
    """What the SMTP server received; ``fail_next`` makes it answer the next n messages with 451 (try later)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.fail_next = 0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.fail_next:
            self.fail_next -= 1
            self.refused += 1
            return "451 4.3.0 Prøv igen senere"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.envelope_to]

    def clear(self):
        self.messages.clear()


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def links_in(message) -> list[str]:
    return LINK.findall(text_of(message))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server for the test; the portal's EMAIL_BACKEND is pointed at it."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    yield mailbox
    controller.stop()


@pytest.fixture(autouse=True)
def waits(monkeypatch) -> list[float]:
    """The in-process waits (retry after a mail server failure, the sending budget), recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(tasks, "sleep", slept.append)
    return slept


@pytest.fixture(autouse=True)
def _in_process_and_fresh_cache(settings):
    """Tasks run in-process (as with no REDIS_URL), links point at the public address, and the rate limits and the
    sending budget count in a private, empty cache (also in CI, where Redis must not be flushed)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PORTAL_BASE_URL = BASE_URL
    settings.SUBSCRIPTIONS_SEND_RATE_PER_MINUTE = 1000
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "subs"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish(staff, django_capture_on_commit_callbacks):
    """``publish(meeting)``: publish the agenda as staff and run what is scheduled after commit."""

    def run(meeting):
        with django_capture_on_commit_callbacks(execute=True):
            return services.agenda_publish(meeting=meeting, by=staff)

    return run


@pytest.fixture
def agenda(meeting, add_item):
    """The meeting's agenda: an open item, and a closed one whose title must never reach a subscriber."""
    add_item(meeting, "Cykelstier langs Strandvejen")
    add_item(meeting, "Personsag: Hemmelig Hansen", is_closed=True, case_number="00.01.00-G01-1-19")
    return meeting
