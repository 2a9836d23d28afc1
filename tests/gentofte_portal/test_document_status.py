"""The pages that wait for a PDF ask a small JSON status whether it is ready (static/js/document-status.js). The
status tells each requester exactly what the PDF URL would give them: the public or the full variant, and 404
for a document they may not see, never that a closed or unpublished one exists. It is never cached and never
writes."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from committees.models import Mandate
from gentofte_portal.documents.models import Document
from gentofte_portal.documents.services import documents_stale
from gentofte_portal.documents.tasks import render_document
from meetings.models import Meeting, Minutes
from tests.factories import CommitteeMembershipFactory, PersonFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("load_demo", verbosity=0)


def finance_meeting() -> Meeting:
    """Published agenda and minutes, three closed items."""
    return Meeting.objects.get(committee__slug="oekonomiudvalget", agenda_published_at__isnull=False)


def member_of(meeting: Meeting):
    user = UserFactory()
    CommitteeMembershipFactory(committee=meeting.committee, person=PersonFactory(user=user))
    return user


def render(kind: str, object_id: int, variant: str) -> None:
    document = Document.objects.get(kind=kind, object_id=object_id, variant=variant)
    assert render_document.apply(args=[document.pk]).result == "rendered"


def status(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store" and "Cookie" in response["Vary"]
    return response.json()


def test_status_is_waiting_until_the_pdf_is_rendered_then_ready_with_its_link(demo, client):
    meeting = finance_meeting()
    documents_stale(kind="referat", object_id=meeting.pk)
    url = reverse("meetings:minutes_pdf_status", args=[meeting.pk])
    assert status(client, url) == {"state": "venter", "label": "Venter"}
    render("referat", meeting.pk, "offentlig")
    assert status(client, url) == {
        "state": "klar",
        "label": "Klar",
        "url": reverse("meetings:minutes_pdf", args=[meeting.pk]),
    }
    # The PDF the status points to is there.
    assert client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))["Content-Type"] == "application/pdf"


def test_status_follows_the_variant_the_requester_gets(demo, client):
    """The public variant is ready, the full one (closed items) failed: the public sees "klar", the committee's
    member and the secretariat see the failure of their own variant, and the public learns nothing of it."""
    meeting = finance_meeting()
    documents_stale(kind="dagsorden", object_id=meeting.pk)
    render("dagsorden", meeting.pk, "offentlig")
    Document.objects.filter(kind="dagsorden", object_id=meeting.pk, variant="fuld").update(status="fejlet")
    url = reverse("meetings:agenda_pdf_status", args=[meeting.pk])
    assert status(client, url)["state"] == "klar"
    client.force_login(UserFactory())  # a citizen
    assert status(client, url)["state"] == "klar"
    client.force_login(member_of(meeting))
    assert status(client, url) == {"state": "fejlet", "label": "Fejlet"}
    client.force_login(StaffUserFactory())
    assert status(client, url) == {"state": "fejlet", "label": "Fejlet"}


def test_a_stale_pdf_is_not_ready(demo, client):
    """A PDF rendered for an older text is not what the PDF URL serves: the status says "venter" as well."""
    meeting = finance_meeting()
    documents_stale(kind="dagsorden", object_id=meeting.pk)
    render("dagsorden", meeting.pk, "offentlig")
    Document.objects.filter(kind="dagsorden", object_id=meeting.pk, variant="offentlig").update(wanted_hash="new")
    assert status(client, reverse("meetings:agenda_pdf_status", args=[meeting.pk]))["state"] == "venter"
    assert client.get(reverse("meetings:agenda_pdf", args=[meeting.pk])).status_code == 202


def test_status_never_asks_for_a_render(demo, client, django_capture_on_commit_callbacks):
    """Unlike the PDF URL (which orders a missing PDF), a GET of the status writes nothing."""
    meeting = finance_meeting()
    assert not Document.objects.filter(kind="referat", object_id=meeting.pk).exists()
    with django_capture_on_commit_callbacks() as callbacks:
        answer = status(client, reverse("meetings:minutes_pdf_status", args=[meeting.pk]))
    assert answer["state"] == "venter"
    assert callbacks == [] and not Document.objects.filter(kind="referat", object_id=meeting.pk).exists()


def test_kommissorium_status(demo, client):
    mandate = Mandate.objects.get(committee__slug="opgaveudvalg-om-innovation", status=Mandate.Status.PUBLISHED)
    documents_stale(kind="kommissorium", object_id=mandate.pk)
    url = reverse("committees:mandate_pdf_status", args=["opgaveudvalg-om-innovation"])
    assert status(client, url)["state"] == "venter"
    render("kommissorium", mandate.pk, "offentlig")
    answer = status(client, url)
    assert answer["state"] == "klar"
    assert answer["url"] == reverse("committees:mandate_pdf", args=["opgaveudvalg-om-innovation"])


@pytest.mark.parametrize("who", ["anonymous", "citizen", "member", "staff"])
def test_status_of_a_document_the_requester_may_not_have_is_404_like_the_pdf(demo, client, who):
    """Unpublished minutes (their PDF rows exist, as after a publication that was withdrawn), an unpublished agenda
    and a committee whose kommissorium is not published: 404, for every role the PDF refuses, whatever the rows."""
    held = finance_meeting()
    Minutes.objects.filter(meeting=held).update(status=Minutes.Status.APPROVED)
    documents_stale(kind="referat", object_id=held.pk)
    render("referat", held.pk, "offentlig")
    upcoming = Meeting.objects.filter(agenda_published_at__isnull=True).first()
    proposal = "opgaveudvalg-en-times-motion-dagligt"
    users = {"anonymous": None, "citizen": UserFactory(), "member": member_of(held), "staff": StaffUserFactory()}
    if users[who] is not None:
        client.force_login(users[who])
    refused = [
        ("meetings:minutes_pdf", "meetings:minutes_pdf_status", held.pk),
        ("meetings:agenda_pdf", "meetings:agenda_pdf_status", upcoming.pk),
        ("meetings:minutes_pdf", "meetings:minutes_pdf_status", upcoming.pk),
        ("committees:mandate_pdf", "committees:mandate_pdf_status", proposal),
        ("meetings:agenda_pdf", "meetings:agenda_pdf_status", 999_999),
        ("committees:mandate_pdf", "committees:mandate_pdf_status", "findes-ikke"),
    ]
    for pdf, state, arg in refused:
        assert client.get(reverse(pdf, args=[arg])).status_code == 404, pdf
        response = client.get(reverse(state, args=[arg]))
        assert response.status_code == 404, (state, arg)
        assert b"klar" not in response.content and b"venter" not in response.content


def test_status_answers_in_a_fixed_number_of_queries(demo, client, django_assert_num_queries):
    meeting = finance_meeting()
    documents_stale(kind="referat", object_id=meeting.pk)
    documents_stale(kind="dagsorden", object_id=meeting.pk)
    url = reverse("meetings:minutes_pdf_status", args=[meeting.pk])
    with django_assert_num_queries(3):  # meeting, minutes (not its attendance: the status never shows it), document
        client.get(url)
    with django_assert_num_queries(2):  # meeting, document
        client.get(reverse("meetings:agenda_pdf_status", args=[meeting.pk]))
    client.force_login(member_of(meeting))
    # + session, user, the user's groups (secretariat?), the member's seat
    with django_assert_num_queries(7):
        client.get(url)


def test_staff_see_a_documents_state_and_error(demo, client):
    meeting = finance_meeting()
    [public, _full] = documents_stale(kind="referat", object_id=meeting.pk)
    url = reverse("document_status_staff", args=[public.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(StaffUserFactory())
    assert status(client, url) == {"state": "venter", "label": "Venter", "error": ""}
    Document.objects.filter(pk=public.pk).update(status="fejlet", error="OSError('disk full')")
    assert status(client, url) == {"state": "fejlet", "label": "Fejlet", "error": "OSError('disk full')"}
    assert client.get(reverse("document_status_staff", args=[999_999])).status_code == 404


def test_status_label_is_translated(demo, client):
    meeting = finance_meeting()
    documents_stale(kind="referat", object_id=meeting.pk)
    response = client.get(reverse("meetings:minutes_pdf_status", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["state"] == "venter" and response.json()["label"] != "Venter"


# The pages that wait carry the status URL, the texts to announce and the script; without script they still work.


def test_pending_page_marks_its_note_for_the_script_and_keeps_the_link_to_try_again(demo, client):
    meeting = finance_meeting()
    documents_stale(kind="referat", object_id=meeting.pk)
    pdf_url = reverse("meetings:minutes_pdf", args=[meeting.pk])
    response = client.get(pdf_url)
    page = response.content.decode()
    assert response.status_code == 202
    assert f'data-document-status="{reverse("meetings:minutes_pdf_status", args=[meeting.pk])}"' in page
    assert 'data-document-status-announce-klar="PDF\'en er klar."' in page
    assert 'aria-live="polite"' in page and 'src="/static/js/document-status.js" defer' in page
    assert f'<a href="{pdf_url}">Prøv at hente PDF\'en igen</a>' in page
    assert "<script>" not in page and " on" + "click=" not in page


def test_meeting_page_notes_carry_their_status_urls_until_the_pdfs_are_ready(demo, client):
    meeting = finance_meeting()
    documents_stale(kind="dagsorden", object_id=meeting.pk)
    documents_stale(kind="referat", object_id=meeting.pk)
    detail = reverse("meetings:detail", args=[meeting.pk])
    page = client.get(detail).content.decode()
    assert "Dagsorden som PDF: PDF'en dannes …" in page
    assert reverse("meetings:agenda_pdf_status", args=[meeting.pk]) in page
    assert reverse("meetings:minutes_pdf_status", args=[meeting.pk]) in page
    assert "document-status.js" in page
    for kind in ("dagsorden", "referat"):
        render(kind, meeting.pk, "offentlig")
    page = client.get(detail).content.decode()
    assert "pdf-status" not in page and "document-status.js" not in page
    assert "Hent dagsordenen som PDF" in page and "Hent referatet som PDF" in page


def test_staff_page_polls_only_the_waiting_rows(demo, client):
    meeting = finance_meeting()
    [waiting, failed] = documents_stale(kind="referat", object_id=meeting.pk)
    Document.objects.filter(pk=failed.pk).update(status="fejlet")
    client.force_login(StaffUserFactory())
    page = client.get(reverse("documents_staff")).content.decode()
    assert reverse("document_status_staff", args=[waiting.pk]) in page
    assert reverse("document_status_staff", args=[failed.pk]) not in page
    assert f"Referat {meeting.pk} (offentlig udgave): PDF'en er klar." in page
    assert "document-status.js" in page
