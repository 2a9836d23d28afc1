"""Fixtures for the meeting tests: a task committee with members, a Sekretariat user with a logged-in client, a
planned meeting, and small valid files of every allowed bilag type (built in memory)."""

import datetime as dt
import io
import zipfile
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from committees.models import Committee, CommitteeMembership, Person
from gentofte_portal.devdata.meetings import minimal_pdf
from meetings import services
from meetings.models import Meeting
from tests.factories import CommitteeFactory, PartyFactory, TaskCommitteeFactory, TermFactory

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
MEETING_AT = dt.datetime(2019, 3, 14, 17, 0, tzinfo=CPH)


# --- Committees, people, users ---------------------------------------------------------------------------------------


@pytest.fixture
def term(db):
    return TermFactory(starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2021, 12, 31))


@pytest.fixture
def committee(term):
    """A task committee set up from September 2018 to September 2019."""
    return TaskCommitteeFactory(term=term, name="Opgaveudvalg om Innovation", slug="innovation")


@pytest.fixture
def other_committee(term):
    return CommitteeFactory(term=term, name="Økonomiudvalget", slug="oekonomiudvalget", kind=Committee.Kind.STANDING)


@pytest.fixture
def members(committee) -> list[CommitteeMembership]:
    """Four seats covering every meeting in 2019: a chair (politician), a politician and two citizens."""
    party = PartyFactory(letter="C")
    seats = [
        ("Anne Holm", "politiker", "formand"),
        ("Bo Friis", "politiker", "medlem"),
        ("Carl Dam", "borger", "medlem"),
        ("Dorthe Lund", "borger", "medlem"),
    ]
    return [
        CommitteeMembership.objects.create(
            committee=committee,
            person=Person.objects.create(name=name),
            member_kind=kind,
            role=role,
            party=party,
            starts_on=dt.date(2018, 9, 1),
        )
        for name, kind, role in seats
    ]


def make_user(username: str, *, secretariat: bool = False, first_name: str = "", last_name: str = "") -> User:
    user = User.objects.create_user(username, password="pw-12345-abc", first_name=first_name, last_name=last_name)
    if secretariat:
        user.groups.add(Group.objects.get(name="Sekretariat"))
    return user


@pytest.fixture
def staff(db) -> User:
    """A member of the group "Sekretariat"."""
    return make_user("signe", secretariat=True, first_name="Signe", last_name="Holm")


@pytest.fixture
def staff_client(staff) -> Client:
    """A client logged in as ``staff`` (separate from pytest-django's ``client``, which stays anonymous)."""
    c = Client()
    c.force_login(staff)
    return c


@pytest.fixture
def citizen(db) -> User:
    """A logged-in user with no group and no committee seat."""
    return make_user("borger", first_name="Bente", last_name="Borger")


@pytest.fixture
def member_user(committee) -> User:
    """A politician's login with a seat in ``committee`` covering every 2019 meeting."""
    user = make_user("politiker", first_name="Ida", last_name="Krag")
    person = Person.objects.create(name="Ida Krag", user=user)
    CommitteeMembership.objects.create(
        committee=committee, person=person, member_kind="politiker", party=PartyFactory(letter="C")
    )
    return user


# --- Meetings ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def meeting(committee) -> Meeting:
    """A planned ordinary meeting on 14 March 2019 at 17:00 (Danish time); agenda empty and not published."""
    return Meeting.objects.create(committee=committee, starts_at=MEETING_AT, location="Udvalgsværelse G")


@pytest.fixture
def add_item(staff):
    """``add_item(meeting, title, **fields)``: an agenda item added through the service, as staff."""

    def add(meeting, title, **fields):
        return services.agenda_item_add(meeting=meeting, data={"title": title, **fields}, by=staff)

    return add


# --- Files ------------------------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


@pytest.fixture(scope="session")
def sample_files() -> dict[str, bytes]:
    """One small valid file per allowed type (pdf, png, jpeg, docx, xlsx), and some that must be refused."""
    return {
        "pdf": minimal_pdf("Bilag til punkt 1"),
        "png": b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64,
        "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9",
        "docx": _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": b"<w:document/>"}),
        "xlsx": _zip({"[Content_Types].xml": CONTENT_TYPES_XML, "xl/workbook.xml": b"<workbook/>"}),
        "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
        "html": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "text": b"Dette er bare tekst, ikke en PDF.\n",
        "zip": _zip({"readme.txt": b"hej", "data/numbers.csv": b"1,2,3"}),
    }


@pytest.fixture
def upload():
    """``upload(name, data)``: a file as a browser would post it."""

    def make(name: str, data: bytes, content_type: str = "application/octet-stream"):
        return SimpleUploadedFile(name, data, content_type=content_type)

    return make


@pytest.fixture
def private_files():
    """``private_files()``: the set of files now under PRIVATE_MEDIA_ROOT (compare before and after a request)."""

    def snapshot() -> set[Path]:
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        return {p for p in root.rglob("*") if p.is_file()}

    return snapshot
