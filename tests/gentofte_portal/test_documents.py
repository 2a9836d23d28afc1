"""Published kommissorier, dagsordener and referater come as accessible A4 PDFs (WeasyPrint, PDF/UA-1) that say
what the pages say; the public variant never contains a closed item's text; an unchanged document is never
rendered twice; a failed render is retried and staff see the failure."""

import contextlib
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from committees.models import Mandate
from gentofte_portal.documents.models import Document
from gentofte_portal.documents.pdf import html_to_pdf
from gentofte_portal.documents.services import document_html, documents_stale
from gentofte_portal.documents.tasks import render_document
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("load_demo", verbosity=0)


def pdf_of(kind, object_id, variant="offentlig") -> PdfReader:
    return PdfReader(io.BytesIO(html_to_pdf(document_html(kind, object_id, variant))))


def pages_text(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def innovation_meeting():
    return Meeting.objects.get(committee__slug="opgaveudvalg-om-innovation")


def finance_meeting():
    return Meeting.objects.get(committee__slug="oekonomiudvalget", agenda_published_at__isnull=False)


def test_referat_has_the_layout_of_a_municipal_document(demo):
    meeting = innovation_meeting()
    reader = pdf_of("referat", meeting.pk)
    text = "\n".join(pages_text(reader))
    assert "Gentofte Kommune" in pages_text(reader)[0]
    assert "Referat af møde i Opgaveudvalg om Innovation" in text
    assert "Mødetidspunkt 31-01-2018 17:00" in text and "Udvalgsværelse G" in text
    assert "Indholdsfortegnelse" in text
    assert "Punkt 1: Dagsorden til sidste møde i Opgaveudvalg om Innovation" in text
    assert "Sags ID: EMN-2018-00651" in text
    assert "Tilstede:" in text and "Fraværende:" in text and "(afbud)" in text
    assert "godkendte den politiske model" in text  # the decision
    assert "2169741" in text  # bilag with document numbers
    assert "Protokollen blev læst og mødet hævet kl. 19:00" in text
    for number, page in enumerate(pages_text(reader), start=1):
        assert f"Side {number} af {len(reader.pages)}" in page
    assert "Opgaveudvalg om Innovation" in pages_text(reader)[-1]  # the committee on every page


def test_pdf_is_tagged_with_language_title_and_a_bookmark_per_item(demo):
    meeting = finance_meeting()
    reader = pdf_of("dagsorden", meeting.pk)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.startswith("Dagsorden til møde i Økonomiudvalget")
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    items = [t for t in titles if t.startswith("Punkt ")]
    assert len(items) == 10


def test_table_of_contents_page_numbers_match_where_items_start(demo):
    meeting = finance_meeting()
    reader = pdf_of("dagsorden", meeting.pk, "fuld")
    pages = pages_text(reader)
    toc = re.findall(r"^(\d+) \((?:Åben|Lukket)\) .*?\.{3,}\s*(\d+)\s*$", pages[0], re.M)
    assert len(toc) == 10
    for position, page_number in toc:
        assert f"Punkt {position}:" in pages[int(page_number) - 1]


def test_public_pdf_leaves_closed_items_out_but_their_number_and_case_id(demo):
    meeting = finance_meeting()
    public = "\n".join(pages_text(pdf_of("referat", meeting.pk, "offentlig")))
    full = "\n".join(pages_text(pdf_of("referat", meeting.pk, "fuld")))
    for closed in meeting.items.filter(is_closed=True):
        assert closed.title not in public
        assert f"Punkt {closed.position}: Lukket" in public
        assert closed.case_number in public
        assert closed.title in full
    assert "Budgetopfølgning pr. 31. marts" in public


def test_kommissorium_pdf_has_all_sections_and_numbered_deliverables(demo):
    mandate = Mandate.objects.get(committee__slug="opgaveudvalg-om-innovation")
    text = "\n".join(pages_text(pdf_of("kommissorium", mandate.pk)))
    for heading in [
        "Baggrund",
        "Formål",
        "Opgave",
        "Leverancer",
        "Sammensætning",
        "Tidsplan",
        "Mødekadence",
        "Arbejdsform",
        "Økonomi og ressourcer",
        "Sekretariat",
    ]:
        assert heading in text, heading
    assert "DIS-modellen" in text and "Sparringsrummet" in text and "Læringsopsamling" in text


def test_unchanged_document_is_never_rendered_twice(demo, django_capture_on_commit_callbacks):
    meeting = innovation_meeting()
    stale = documents_stale(kind="referat", object_id=meeting.pk)
    assert len(stale) == 2  # public and full
    for document in stale:
        assert render_document.apply(args=[document.pk]).result == "rendered"
    assert documents_stale(kind="referat", object_id=meeting.pk) == []
    document = Document.objects.get(kind="referat", object_id=meeting.pk, variant="offentlig")
    assert render_document.apply(args=[document.pk]).result == "unchanged"
    # A change makes it stale again.
    item = meeting.items.get()
    item.decision, item.decision_html = "Godkendt med en ændring.", "<p>Godkendt med en ændring.</p>"
    item.save()
    assert [d.variant for d in documents_stale(kind="referat", object_id=meeting.pk)] == ["offentlig", "fuld"]


def test_download_is_pending_then_the_stored_file_with_the_right_variant(demo, client):
    meeting = finance_meeting()
    url = reverse("meetings:minutes_pdf", args=[meeting.pk])
    pending = client.get(url)
    assert pending.status_code == 202 and "en dannes" in pending.content.decode()
    for document in Document.objects.filter(kind="referat", object_id=meeting.pk):
        render_document.apply(args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Cookie" in response["Vary"] and "public" in response["Cache-Control"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "Personalesag" not in text and "Punkt 6: Lukket" in text
    client.force_login(_secretariat_user())
    response = client.get(url)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "Personalesag" in text


def _secretariat_user():
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("pdf-staff", password="x-12345-abc")
    user.groups.add(Group.objects.get(name="Sekretariat"))
    return user


def test_unpublished_documents_have_no_pdf(demo, client):
    upcoming = Meeting.objects.filter(agenda_published_at__isnull=True).first()
    assert client.get(reverse("meetings:agenda_pdf", args=[upcoming.pk])).status_code == 404
    assert client.get(reverse("meetings:minutes_pdf", args=[upcoming.pk])).status_code == 404
    proposal = "opgaveudvalg-en-times-motion-dagligt"  # no published kommissorium yet
    assert client.get(reverse("committees:mandate_pdf", args=[proposal])).status_code == 404


def test_failed_render_is_retried_and_then_shown_to_staff(demo, client, monkeypatch):
    import gentofte_portal.documents.pdf as pdf_module

    meeting = innovation_meeting()
    document = documents_stale(kind="dagsorden", object_id=meeting.pk)[0]
    real = pdf_module.html_to_pdf
    calls = {"n": 0}

    def flaky(html):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("font cache busy")
        return real(html)

    monkeypatch.setattr(pdf_module, "html_to_pdf", flaky)
    render_document.apply(args=[document.pk], throw=False)  # eagerly, the retry runs at once (a worker waits 2 s first)
    assert calls["n"] == 2
    document.refresh_from_db()
    assert document.status == "klar" and document.attempts == 2

    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda html: (_ for _ in ()).throw(OSError("disk full")))
    broken = documents_stale(kind="referat", object_id=meeting.pk)[0]
    # Each delivery of the task is one attempt (counted in the database); the worker redelivers with backoff.
    for _delivery in range(3):
        with contextlib.suppress(Exception):
            render_document.apply(args=[broken.pk], throw=False)
        broken.refresh_from_db()
        if broken.status != "venter":
            break
    assert broken.status == "fejlet" and broken.attempts == 3 and "disk full" in broken.error
    client.force_login(_secretariat_user())
    page = client.get(reverse("documents_staff")).content.decode()
    assert "disk full" in page and "Prøv igen" in page
    monkeypatch.setattr(pdf_module, "html_to_pdf", real)
    response = client.post(reverse("documents_staff"), {"dokument": broken.pk})
    assert response.status_code == 302
    broken.refresh_from_db()
    assert broken.status == "venter"


def test_render_documents_command(demo):
    from io import StringIO

    out = StringIO()
    call_command("render_documents", "--stale", stdout=out)
    assert "fejlet: 0" in out.getvalue()
    first = Document.objects.filter(status="klar").count()
    assert first >= 30
    out = StringIO()
    call_command("render_documents", "--stale", stdout=out)
    assert "PDF'er dannet nu: 0" in out.getvalue()


def test_documents_are_in_danish_whatever_language_the_user_chose(demo):
    from django.utils import translation

    meeting = innovation_meeting()
    with translation.override("en"):
        text = "\n".join(pages_text(pdf_of("referat", meeting.pk)))
    assert "Referat af møde i" in text and "Minutes of the meeting" not in text
