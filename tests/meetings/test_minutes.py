"""The secretariat writes, approves and publishes the minutes (attendance, decisions, when the meeting ended); a
published referat changes only as a visible, versioned correction and locks the agenda; deliverables approved at
a meeting get their file, their item and their hand-over date."""

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committees.models import CommitteeMembership, Deliverable, Person
from meetings import services
from meetings.models import AgendaItem, Attachment, Attendance, DeliverableApproval, Meeting, Minutes

pytestmark = pytest.mark.django_db

CPH = timezone.get_default_timezone()


def page(response) -> str:
    """The page's text as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def minutes_url(meeting) -> str:
    return reverse("meetings:minutes", args=[meeting.pk])


def public_url(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def minutes_data(meeting, *, absent=(), apologies=(), decisions=None, remarks="", ended_at="19:00", note=None):
    """What the minutes form posts: everyone on the meeting day present but the names in ``absent``."""
    data = {"remarks": remarks, "ended_at": ended_at}
    for membership in services.members_on(meeting):
        name = membership.person.name
        data[f"presence_{membership.person_id}"] = "fravaerende" if name in absent else "tilstede"
        if name in apologies:
            data[f"apologies_{membership.person_id}"] = "on"
    for item in meeting.items.all():
        data[f"decision_{item.pk}"] = (decisions or {}).get(item.position, "")
    if note is not None:
        data["correction_note"] = note
    return data


def set_status(client, meeting, action: str):
    data = {"handling": action, "bekraeft": "ja"}  # publishing is confirmed on its own page (issue 13)
    return client.post(reverse("meetings:minutes_status", args=[meeting.pk]), data, follow=True)


@pytest.fixture
def held(meeting, members, add_item, staff):
    """The meeting of 14 March 2019 with a published agenda of three items, the third closed."""
    add_item(meeting, "Godkendelse af dagsorden")
    add_item(meeting, "Leverance 1 og 2", case_number="EMN-2018-00651", summary="DIS-modellen")
    add_item(meeting, "Personalesag", case_number="19/0999", is_closed=True)
    services.agenda_publish(meeting=meeting, by=staff)
    meeting.refresh_from_db()
    return meeting


DECISIONS = {1: "Godkendt.", 2: "Udvalget godkendte **begge** leverancer.", 3: "Indstillingen blev tiltrådt."}


@pytest.fixture
def published_minutes(staff_client, held):
    """Minutes of ``held`` written, approved and published over HTTP: Carl Dam absent with apologies."""
    staff_client.post(
        minutes_url(held), minutes_data(held, absent={"Carl Dam"}, apologies={"Carl Dam"}, decisions=DECISIONS)
    )
    set_status(staff_client, held, "godkend")
    set_status(staff_client, held, "offentliggoer")
    return Minutes.objects.get(meeting=held)


# --- Writing, approving, publishing ----------------------------------------------------------------------------------


def test_the_form_lists_the_members_seated_on_the_meeting_day(staff_client, committee, other_committee, held):
    gone = Person.objects.create(name="Erik Gået")
    coming = Person.objects.create(name="Frida Kommende")
    elsewhere = Person.objects.create(name="Gert Andetsteds")
    for person, starts, ends in [(gone, None, dt.date(2019, 3, 13)), (coming, dt.date(2019, 3, 15), None)]:
        CommitteeMembership.objects.create(
            committee=committee, person=person, member_kind="borger", starts_on=starts, ends_on=ends
        )
    CommitteeMembership.objects.create(committee=other_committee, person=elsewhere, member_kind="politiker")
    last_day = Person.objects.create(name="Hanne Sidste Dag")
    CommitteeMembership.objects.create(
        committee=committee, person=last_day, member_kind="borger", ends_on=dt.date(2019, 3, 14)
    )

    text = page(staff_client.get(minutes_url(held)))

    for name, who in [
        ("Anne Holm", "C, politiker, formand"),
        ("Bo Friis", "C, politiker"),
        ("Carl Dam", "C, borger"),
        ("Dorthe Lund", "C, borger"),
        ("Hanne Sidste Dag", "borger"),
    ]:
        assert f"{name} ({who}) Fremmøde for {name} Tilstede Fraværende Afbud ({name})" in text
    for name in ["Erik Gået", "Frida Kommende", "Gert Andetsteds"]:
        assert name not in text
    assert "Beslutning, punkt 2: Leverance 1 og 2" in text
    assert "Status: Ikke påbegyndt" in text


def test_minutes_are_written_approved_and_published(staff_client, client, held):
    data = minutes_data(
        held,
        absent={"Carl Dam", "Dorthe Lund"},
        apologies={"Carl Dam"},
        decisions=DECISIONS,
        remarks="Næste møde holdes i **april**.",
    )
    response = staff_client.post(minutes_url(held), data, follow=True)
    assert "Referatet er gemt." in page(response)
    assert "Status: Kladde" in page(response)
    minutes = Minutes.objects.get(meeting=held)
    assert (minutes.status, minutes.ended_at, minutes.version) == ("kladde", dt.time(19, 0), 1)
    assert sorted(Attendance.objects.values_list("person__name", "presence", "sent_apologies")) == [
        ("Anne Holm", "tilstede", False),
        ("Bo Friis", "tilstede", False),
        ("Carl Dam", "fravaerende", True),
        ("Dorthe Lund", "fravaerende", False),
    ]
    draft = page(client.get(public_url(held)))
    assert "Dagsorden til møde i Opgaveudvalg om Innovation" in draft
    assert "Tilstede:" not in draft and "Godkendt." not in draft

    response = set_status(staff_client, held, "godkend")
    assert "Godkendelsen er gemt." in page(response)
    assert page(response).count("Referatet er godkendt") == 1  # said once, not by the message and the page both
    assert "Offentliggør referatet" in page(response)
    assert "Protokollen" not in page(client.get(public_url(held)))

    start = timezone.now()
    response = set_status(staff_client, held, "offentliggoer")
    assert "Referatet er offentliggjort." in page(response)
    minutes.refresh_from_db()
    assert minutes.status == "offentliggjort"
    assert start <= minutes.published_at <= timezone.now()

    text = page(client.get(public_url(held)))
    assert "Referat af møde i Opgaveudvalg om Innovation" in text
    assert "Tilstede: Anne Holm, Bo Friis" in text
    assert "Fraværende: Carl Dam (afbud), Dorthe Lund" in text
    assert "Næste møde holdes i april" in text
    assert "Protokollen blev læst og mødet hævet kl. 19:00" in text
    assert "Punkt 1: Godkendelse af dagsorden Åben Beslutning Godkendt." in text
    assert "Beslutning Udvalget godkendte begge leverancer." in text
    assert "<strong>begge</strong>" in client.get(public_url(held)).content.decode()
    assert "Indstillingen blev tiltrådt." not in text  # the closed item's decision


def test_apologies_count_only_for_the_absent(staff_client, held):
    staff_client.post(minutes_url(held), minutes_data(held, apologies={"Anne Holm"}))

    assert not Attendance.objects.filter(sent_apologies=True).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param("presence", "maaske", "Marker en gyldig valgmulighed."),
        pytest.param("presence", "", "Dette felt er påkrævet."),
        ("ended_at", "25:00", "Indtast en gyldig tid."),
        ("ended_at", "kl. 19", "Indtast en gyldig tid."),
        ("remarks", "Tekst med \x07 kontroltegn", "Teksten indeholder usynlige kontroltegn."),
        ("remarks", "x" * 20_001, "Denne værdi må højst have 20000 tegn (den har 20001)."),
    ],
)
def test_bad_minutes_input_is_refused_in_danish(staff_client, held, members, field, value, message):
    data = minutes_data(held)
    data[f"presence_{members[0].person_id}" if field == "presence" else field] = value

    response = staff_client.post(minutes_url(held), data)

    assert response.status_code == 400
    assert message in page(response)
    assert not Minutes.objects.exists()


def test_minutes_without_attendance_are_not_approved(staff_client, meeting, add_item):
    add_item(meeting, "Eneste punkt")  # the committee has no members on the day
    staff_client.post(minutes_url(meeting), {"remarks": "", "ended_at": "18:00"})

    response = set_status(staff_client, meeting, "godkend")

    assert "Registrér fremmødet, før referatet godkendes." in page(response)
    assert Minutes.objects.get().status == "kladde"


def test_minutes_are_not_published_before_they_are_approved(staff_client, client, held):
    staff_client.post(minutes_url(held), minutes_data(held, decisions=DECISIONS))

    response = set_status(staff_client, held, "offentliggoer")

    assert "Referatet skal godkendes, før det offentliggøres." in page(response)
    assert Minutes.objects.get().status == "kladde"
    assert "Protokollen" not in page(client.get(public_url(held)))


def test_minutes_are_not_published_before_the_agenda(staff_client, meeting, members, add_item):
    add_item(meeting, "Punkt")
    staff_client.post(minutes_url(meeting), minutes_data(meeting))
    set_status(staff_client, meeting, "godkend")

    response = set_status(staff_client, meeting, "offentliggoer")

    assert "Dagsordenen skal offentliggøres først." in page(response)
    assert Minutes.objects.get().status == "godkendt"


def test_approved_minutes_are_not_edited_until_published(staff_client, held):
    staff_client.post(minutes_url(held), minutes_data(held, decisions=DECISIONS))
    set_status(staff_client, held, "godkend")

    assert "Referatet er godkendt og venter på at blive offentliggjort" in page(staff_client.get(minutes_url(held)))
    response = staff_client.post(minutes_url(held), minutes_data(held, decisions={1: "Ændret"}))

    assert response.status_code == 400
    assert "Referatet er godkendt og venter på at blive offentliggjort" in page(response)
    assert AgendaItem.objects.get(position=1).decision == "Godkendt."


def test_an_unknown_status_action_is_refused(staff_client, held):
    staff_client.post(minutes_url(held), minutes_data(held))

    assert "Ukendt handling." in page(set_status(staff_client, held, "slet"))


# --- Corrections -----------------------------------------------------------------------------------------------------------


def test_a_published_referat_is_not_changed_without_a_note(staff_client, client, published_minutes):
    held = published_minutes.meeting
    form = page(staff_client.get(minutes_url(held)))
    assert "Referatet er offentliggjort. En rettelse gemmes som en ny version med en synlig note." in form

    response = staff_client.post(minutes_url(held), minutes_data(held, decisions={**DECISIONS, 2: "Afvist."}, note=""))

    assert response.status_code == 400
    error = re.search(r'id="id_correction_note_error".*?</div>', response.content.decode(), re.S)
    assert error and "Et offentliggjort referat rettes kun med en synlig note." in error.group(0)
    published_minutes.refresh_from_db()
    assert (published_minutes.version, published_minutes.correction_note) == (1, "")
    assert "Afvist." not in page(client.get(public_url(held)))


def test_a_correction_is_a_new_version_with_a_visible_note(staff_client, client, published_minutes):
    held = published_minutes.meeting
    versions = published_minutes.history.count()
    data = minutes_data(
        held, absent={"Carl Dam"}, apologies={"Carl Dam"}, decisions={**DECISIONS, 2: "Udvalget godkendte leverance 1."}
    )
    data["correction_note"] = "Beslutningen under punkt 2 var forkert gengivet."

    response = staff_client.post(minutes_url(held), data, follow=True)

    assert "Referatet er gemt." in page(response)
    assert "Status: Offentliggjort (version 2)" in page(response)
    published_minutes.refresh_from_db()
    assert (published_minutes.status, published_minutes.version) == ("offentliggjort", 2)
    assert published_minutes.history.count() > versions
    text = page(client.get(public_url(held)))
    corrected = timezone.localtime(published_minutes.corrected_at)
    assert f"Rettet {corrected:%d-%m-%Y %H:%M}: Beslutningen under punkt 2 var forkert gengivet." in text
    assert "Udvalget godkendte leverance 1." in text
    assert "Protokollen blev læst og mødet hævet kl. 19:00" in text


# --- The agenda is locked once the minutes are published ---------------------------------------------------------------


def _edit(client, meeting, item, upload, files):
    url = reverse("meetings:item_edit", args=[meeting.pk, item.pk])
    return client.post(url, {"title": "Ændret efter referatet", "case_number": "", "summary": ""})


def _add(client, meeting, item, upload, files):
    return client.post(reverse("meetings:item_add", args=[meeting.pk]), {"title": "Nyt punkt"})


def _delete(client, meeting, item, upload, files):
    return client.post(reverse("meetings:item_delete", args=[meeting.pk, item.pk]), {"bekraeft": "ja"}, follow=True)


def _move(client, meeting, item, upload, files):
    return client.post(reverse("meetings:item_move", args=[meeting.pk, item.pk]), {"retning": "op"}, follow=True)


def _standard(client, meeting, item, upload, files):
    return client.post(reverse("meetings:standard_item", args=[meeting.pk]), {"punkt": "eventuelt"}, follow=True)


def _upload(client, meeting, item, upload, files):
    url = reverse("meetings:attachment_upload", args=[meeting.pk, item.pk])
    return client.post(url, {"title": "Sent bilag", "file": upload("sent.pdf", files["pdf"])})


def _remove_bilag(client, meeting, item, upload, files):
    attachment = Attachment.objects.get()
    url = reverse("meetings:attachment_delete", args=[meeting.pk, attachment.pk])
    return client.post(url, {"bekraeft": "ja"}, follow=True)


LOCKED = {
    "edit item": (_edit, 400),
    "add item": (_add, 400),
    "delete item": (_delete, 200),
    "move item": (_move, 200),
    "standard item": (_standard, 200),
    "upload bilag": (_upload, 400),
    "remove bilag": (_remove_bilag, 200),
}


def _agenda_state(meeting):
    return (
        list(AgendaItem.objects.filter(meeting=meeting).values_list("pk", "position", "title").order_by("pk")),
        list(Attachment.objects.values_list("pk", "file")),
    )


@pytest.mark.parametrize("change", LOCKED)
def test_the_agenda_is_locked_once_the_minutes_are_published(
    staff_client, staff, held, upload, sample_files, private_files, change
):
    item = AgendaItem.objects.get(meeting=held, position=2)
    services.attachment_add(item=item, upload=upload("bilag.pdf", sample_files["pdf"]), title="Bilag", by=staff)
    staff_client.post(minutes_url(held), minutes_data(held))
    set_status(staff_client, held, "godkend")
    set_status(staff_client, held, "offentliggoer")
    before, files = _agenda_state(held), private_files()
    action, status = LOCKED[change]

    response = action(staff_client, held, item, upload, sample_files)

    assert response.status_code == status
    assert "Referatet er offentliggjort; dagsordenen kan ikke længere ændres." in page(response)
    assert _agenda_state(held) == before
    assert private_files() == files


def test_the_builder_offers_no_changes_once_the_minutes_are_published(staff_client, published_minutes):
    text = page(staff_client.get(reverse("meetings:builder", args=[published_minutes.meeting_id])))

    assert "Referatet er offentliggjort; dagsordenen kan ikke længere ændres." in text
    for button in ["Tilføj punkt", "Redigér", "Flyt op", "Flyt ned", "Slet", "Tilføj bilag"]:
        assert button not in text


def test_the_meeting_day_is_the_danish_date(staff_client, committee, staff):
    just_after_midnight = Meeting.objects.create(
        committee=committee, starts_at=dt.datetime(2019, 6, 1, 0, 30, tzinfo=CPH), location="Rådhuset"
    )
    for name, starts, ends in [
        ("Ny fra 1. juni", dt.date(2019, 6, 1), None),
        ("Sluttede 31. maj", None, dt.date(2019, 5, 31)),
    ]:
        CommitteeMembership.objects.create(
            committee=committee,
            person=Person.objects.create(name=name),
            member_kind="borger",
            starts_on=starts,
            ends_on=ends,
        )

    text = page(staff_client.get(minutes_url(just_after_midnight)))

    assert "Ny fra 1. juni" in text
    assert "Sluttede 31. maj" not in text


# --- Deliverables ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def deliverable(committee):
    return Deliverable.objects.create(committee=committee, number=1, title="Politisk model (DIS-modellen)")


def deliverable_url(deliverable) -> str:
    return reverse("meetings:deliverable", args=[deliverable.committee.slug, deliverable.pk])


def test_a_deliverable_gets_its_file_item_and_hand_over_date(
    staff_client, client, committee, held, deliverable, upload, sample_files
):
    item = AgendaItem.objects.get(meeting=held, position=2)
    form = page(staff_client.get(deliverable_url(deliverable)))
    assert "14-03-2019, punkt 2: Leverance 1 og 2" in form

    response = staff_client.post(
        deliverable_url(deliverable),
        {
            "file": upload("DIS-modellen.pdf", sample_files["pdf"]),
            "approved_item": item.pk,
            "handed_over_on": "2019-03-26",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("pages:committee", args=[committee.slug])
    deliverable.refresh_from_db()
    assert (deliverable.approval.item, deliverable.handed_over_on) == (item, dt.date(2019, 3, 26))
    assert Path(deliverable.file.path).suffix == ".pdf"
    committee_page = client.get(response["Location"])
    text = page(committee_page)
    assert "Politisk model (DIS-modellen) (godkendt på udvalgets møde)" in text
    assert "Afleveret til Kommunalbestyrelsen 26. marts 2019" in text
    file_url = reverse("meetings:deliverable_file", args=[deliverable.pk])
    assert f'href="{file_url}"' in committee_page.content.decode()
    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == sample_files["pdf"]


def test_a_deliverable_is_not_linked_to_another_committees_item(staff_client, other_committee, deliverable, add_item):
    foreign = Meeting.objects.create(committee=other_committee, starts_at=dt.datetime(2019, 3, 18, 17, tzinfo=CPH))
    foreign_item = add_item(foreign, "Budgetopfølgning")

    response = staff_client.post(deliverable_url(deliverable), {"approved_item": foreign_item.pk})

    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed." in page(response)
    assert not DeliverableApproval.objects.filter(deliverable=deliverable).exists()


def test_the_approval_moves_to_another_item_and_is_removed_without_one(staff, held, deliverable):
    first, second = AgendaItem.objects.filter(meeting=held, position__in=[1, 2]).order_by("position")
    services.deliverable_update(deliverable=deliverable, approved_item=first, by=staff)
    services.deliverable_update(deliverable=deliverable, approved_item=second, by=staff)
    assert list(DeliverableApproval.objects.values_list("deliverable", "item")) == [(deliverable.pk, second.pk)]

    services.deliverable_update(deliverable=deliverable, approved_item=None, by=staff)

    assert not DeliverableApproval.objects.exists()
    assert Deliverable.objects.filter(pk=deliverable.pk).exists()


def test_deleting_the_item_removes_the_approval_but_not_the_deliverable(staff, held, deliverable):
    item = AgendaItem.objects.get(meeting=held, position=2)
    services.deliverable_update(deliverable=deliverable, approved_item=item, by=staff)

    item.delete()

    assert not DeliverableApproval.objects.exists()
    assert Deliverable.objects.filter(pk=deliverable.pk).exists()


def test_the_form_starts_from_the_approved_item(staff_client, staff, held, deliverable):
    item = AgendaItem.objects.get(meeting=held, position=2)
    services.deliverable_update(deliverable=deliverable, approved_item=item, by=staff)

    html = staff_client.get(deliverable_url(deliverable)).content.decode()

    assert f'<option value="{item.pk}" selected>' in html


def test_the_committee_page_marks_approved_deliverables_in_a_fixed_number_of_queries(client, staff, held, committee):
    item = AgendaItem.objects.get(meeting=held, position=2)
    url = reverse("pages:committee", args=[committee.slug])

    def approve(numbers):
        for n in numbers:
            d = Deliverable.objects.create(committee=committee, number=n, title=f"Leverance {n}")
            services.deliverable_update(deliverable=d, approved_item=item, by=staff)

    def visit():
        with CaptureQueriesContext(connection) as queries:
            text = page(client.get(url))
        return len(queries), text.count("(godkendt på udvalgets møde)")

    approve([1])
    Deliverable.objects.create(committee=committee, number=2, title="Leverance 2")
    few = visit()
    approve(range(3, 13))

    assert few == (few[0], 1)
    assert visit() == (few[0], 11)


def test_the_admin_and_the_audit_log_name_a_closed_approving_item_by_meeting_and_number(
    admin_client, staff, held, deliverable
):
    closed = AgendaItem.objects.get(meeting=held, position=3)
    assert closed.is_closed
    services.deliverable_update(deliverable=deliverable, approved_item=closed, by=staff)
    approval = DeliverableApproval.objects.get()

    pages = [
        admin_client.get(reverse("admin:meetings_deliverableapproval_changelist")),
        admin_client.get(reverse("admin:meetings_deliverableapproval_change", args=[approval.pk])),
    ]
    logged = LogEntry.objects.get_for_object(approval).get()

    for response in pages:
        assert response.status_code == 200
        assert "møde 14-03-2019, punkt 3" in page(response)
        assert "Personalesag" not in page(response)
    assert "punkt 3" in logged.object_repr and "Personalesag" not in logged.object_repr


def test_the_service_refuses_another_committees_item_too(staff, other_committee, deliverable, add_item):
    foreign = Meeting.objects.create(committee=other_committee, starts_at=dt.datetime(2019, 3, 18, 17, tzinfo=CPH))

    with pytest.raises(ValidationError, match="Punktet skal være fra udvalgets eget møde."):
        services.deliverable_update(deliverable=deliverable, approved_item=add_item(foreign, "Budget"), by=staff)


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("leverance.pdf", "html", "Filtypen er ikke tilladt."),
        ("leverance.pdf", "exe", "Filtypen er ikke tilladt."),
        ("leverance.docx", "zip", "Filtypen er ikke tilladt."),
        ("tom.pdf", b"", "Den indsendte fil er tom."),
    ],
)
def test_a_deliverable_file_is_checked_by_content(
    staff_client, deliverable, upload, sample_files, private_files, name, kind, message
):
    before = private_files()
    data = sample_files[kind] if isinstance(kind, str) else kind

    response = staff_client.post(deliverable_url(deliverable), {"file": upload(name, data)})

    assert response.status_code == 400
    assert message in page(response)
    deliverable.refresh_from_db()
    assert not deliverable.file
    assert private_files() == before


def test_a_new_deliverable_file_replaces_the_old(
    staff_client, client, deliverable, upload, sample_files, django_capture_on_commit_callbacks
):
    staff_client.post(deliverable_url(deliverable), {"file": upload("v1.pdf", sample_files["pdf"])})
    deliverable.refresh_from_db()
    old = Path(deliverable.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(deliverable_url(deliverable), {"file": upload("v2.docx", sample_files["docx"])})

    deliverable.refresh_from_db()
    assert not old.exists()
    assert deliverable.file.name.endswith(".docx")
    download = client.get(reverse("meetings:deliverable_file", args=[deliverable.pk]))
    assert b"".join(download.streaming_content) == sample_files["docx"]


def test_a_refused_deliverable_update_keeps_the_old_file(
    staff, other_committee, deliverable, add_item, upload, sample_files
):
    deliverable.file.save("leverance.pdf", ContentFile(sample_files["pdf"]))
    foreign = Meeting.objects.create(committee=other_committee, starts_at=dt.datetime(2019, 3, 18, 17, tzinfo=CPH))

    with pytest.raises(ValidationError):
        services.deliverable_update(
            deliverable=deliverable,
            upload=upload("ny.pdf", sample_files["pdf"]),
            approved_item=add_item(foreign, "Budget"),
            by=staff,
        )

    deliverable.refresh_from_db()
    assert Path(deliverable.file.path).exists()


def test_minutes_are_approved_and_published_only_once_the_meeting_has_begun(staff_client, held):
    Meeting.objects.filter(pk=held.pk).update(starts_at=timezone.now() + dt.timedelta(days=1))
    staff_client.post(minutes_url(held), minutes_data(held, decisions=DECISIONS))

    response = set_status(staff_client, held, "godkend")

    assert "Mødet er ikke begyndt endnu" in page(response)
    assert "Referatet kan først godkendes og offentliggøres bagefter." in page(response)
    assert Minutes.objects.get().status == "kladde"

    Meeting.objects.filter(pk=held.pk).update(starts_at=timezone.now() - dt.timedelta(hours=2))
    set_status(staff_client, held, "godkend")
    assert Minutes.objects.get().status == "godkendt"
    Meeting.objects.filter(pk=held.pk).update(starts_at=timezone.now() + dt.timedelta(hours=2))  # a date typed wrong
    response = set_status(staff_client, held, "offentliggoer")
    assert "Mødet er ikke begyndt endnu" in page(response)
    assert Minutes.objects.get().status == "godkendt"


def test_a_meeting_with_published_minutes_is_never_listed_as_upcoming(client, published_minutes, held):
    from meetings.selectors import meetings_upcoming

    # Its date was later moved into the future (a typo): the published referat says it was held.
    Meeting.objects.filter(pk=held.pk).update(starts_at=timezone.now() + dt.timedelta(days=3))
    assert held not in meetings_upcoming()
    listing = client.get(reverse("meetings:list")).content.decode()
    upcoming, past = listing.split('id="kommende"')[1].split('id="afholdte"')
    link = f'href="{public_url(held)}"'
    assert link not in upcoming and link in past


def test_namesakes_are_told_apart_in_the_attendance_list(staff_client, held, members, committee):
    """Two "Sofie Lund"s: one a politician of A, one a citizen; the rows say which is which."""
    from tests.factories import PartyFactory

    party_a = PartyFactory(letter="A", municipality=members[0].party.municipality)
    for kind, party in [("politiker", party_a), ("borger", None)]:
        CommitteeMembership.objects.create(
            committee=committee,
            person=Person.objects.create(name="Sofie Lund"),
            member_kind=kind,
            party=party,
            starts_on=dt.date(2018, 9, 1),
        )

    html = page(staff_client.get(minutes_url(held)))

    assert "Sofie Lund (A, politiker)" in html
    assert "Sofie Lund (borger)" in html
    assert "Anne Holm (C, politiker, formand)" in html
