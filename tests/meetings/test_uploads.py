"""A bilag is accepted for what it is, not what it is called: PDF, DOCX, XLSX, PNG or JPEG up to 25 MB, numbered,
kept out of public media and downloaded with its own content type; anything else is refused and nothing is kept."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from meetings.models import Attachment, Meeting
from meetings.services import FIRST_DOCUMENT_NUMBER

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def upload_url(item) -> str:
    return reverse("meetings:attachment_upload", args=[item.meeting_id, item.pk])


def download_url(attachment) -> str:
    return reverse("meetings:attachment", args=[attachment.item.meeting_id, attachment.pk])


def file_error(response, item) -> str:
    """The error shown under this item's file field."""
    match = re.search(
        rf'<div class="invalid-feedback d-block" id="fil-fejl-{item.pk}">(.*?)</div>', response.content.decode()
    )
    return html.unescape(match.group(1)) if match else ""


@pytest.fixture
def item(meeting, add_item):
    return add_item(meeting, "Godkendelse af leverance 1", case_number="EMN-2018-00651")


# --- Accepted ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "content_type", "extension"),
    [
        ("pdf", "Leverance 1 - DIS-modellen.pdf", "application/pdf", ".pdf"),
        ("png", "organisationsdiagram.png", "image/png", ".png"),
        ("jpeg", "foto fra mødet.jpeg", "image/jpeg", ".jpg"),
        ("docx", "notat.docx", DOCX, ".docx"),
        ("xlsx", "budget 2019.xlsx", XLSX, ".xlsx"),
    ],
)
def test_an_allowed_file_is_stored_privately_and_downloaded_with_its_type(
    staff_client, item, upload, sample_files, private_files, kind, name, content_type, extension
):
    data = sample_files[kind]

    response = staff_client.post(upload_url(item), {"title": "", "file": upload(name, data)}, follow=True)

    assert "Bilaget er tilføjet." in page(response)
    attachment = Attachment.objects.get()
    assert (attachment.item, attachment.content_type, attachment.size) == (item, content_type, len(data))
    assert (attachment.original_name, attachment.title) == (name, name.rsplit(".", 1)[0])
    stored = Path(attachment.file.path)
    assert stored.suffix == extension
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    assert private_files() >= {stored}
    assert f"{attachment.title} ({attachment.document_number}," in page(response)

    download = staff_client.get(download_url(attachment))
    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == data


def test_the_content_decides_the_type_not_the_name(staff_client, item, upload, sample_files):
    staff_client.post(upload_url(item), {"title": "Notat", "file": upload("notat.pdf", sample_files["docx"])})

    attachment = Attachment.objects.get()
    assert attachment.content_type == DOCX
    assert attachment.file.name.endswith(".docx")
    assert staff_client.get(download_url(attachment))["Content-Type"] == DOCX


def test_a_file_name_cannot_steer_where_the_file_is_stored(staff_client, item, upload, sample_files):
    staff_client.post(upload_url(item), {"file": upload("..\\..\\settings <i>ny</i>?.pdf", sample_files["pdf"])})

    attachment = Attachment.objects.get()
    assert Path(attachment.file.path).parent == Path(settings.PRIVATE_MEDIA_ROOT) / "bilag" / str(item.meeting_id)
    assert re.fullmatch(rf"{attachment.document_number}-[\w-]+\.pdf", Path(attachment.file.name).name)


def test_a_bilag_is_never_served_from_public_media(staff_client, client, item, upload, sample_files):
    staff_client.post(upload_url(item), {"file": upload("bilag.pdf", sample_files["pdf"])})
    attachment = Attachment.objects.get()

    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))
    assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404
    assert client.get(download_url(attachment)).status_code == 404  # agenda not yet published


def test_a_file_of_exactly_the_maximum_size_is_accepted(staff_client, item, upload, sample_files):
    data = sample_files["pdf"].ljust(1024, b" ")

    with override_settings(ATTACHMENT_MAX_BYTES=1024):
        response = staff_client.post(upload_url(item), {"file": upload("bilag.pdf", data)})

    assert response.status_code == 302
    assert Attachment.objects.get().size == 1024


# --- Refused ------------------------------------------------------------------------------------------------------------

NOT_ALLOWED = "Filtypen er ikke tilladt. Bilag skal være PDF, Word (DOCX), Excel (XLSX), PNG eller JPEG."


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("bilag.pdf", "exe", NOT_ALLOWED),
        ("bilag.pdf", "html", NOT_ALLOWED),
        ("bilag.pdf", "text", NOT_ALLOWED),
        ("bilag.docx", "zip", NOT_ALLOWED),
        ("bilag.xlsx", "zip", NOT_ALLOWED),
        ("bilag.docx", b"PK\x03\x04 this is no zip archive at all", NOT_ALLOWED),
        ("bilag.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', NOT_ALLOWED),
        ("bilag.pdf", b"", "Filen er tom."),
    ],
    ids=["exe-as-pdf", "html-as-pdf", "text-as-pdf", "zip-as-docx", "zip-as-xlsx", "broken-zip", "svg", "empty"],
)
def test_a_file_that_is_not_an_allowed_type_is_refused(
    staff_client, item, upload, sample_files, private_files, name, kind, message
):
    data = sample_files[kind] if isinstance(kind, str) else kind
    before = private_files()

    response = staff_client.post(upload_url(item), {"title": "Bilag", "file": upload(name, data)})

    assert response.status_code == 400
    assert file_error(response, item) == message
    assert f'id="fil-{item.pk}" accept=".pdf,.docx,.xlsx,.png,.jpg,.jpeg" aria-invalid="true"' in (
        response.content.decode()
    )
    assert not Attachment.objects.exists()
    assert private_files() == before


def test_a_file_over_the_maximum_size_is_refused(staff_client, item, upload, sample_files, private_files):
    before = private_files()
    data = sample_files["pdf"].ljust(2048, b" ")

    with override_settings(ATTACHMENT_MAX_BYTES=1024):
        response = staff_client.post(upload_url(item), {"file": upload("stor.pdf", data)})

    assert response.status_code == 400
    assert file_error(response, item).startswith("Filen er for stor")
    assert not Attachment.objects.exists()
    assert private_files() == before


def test_the_default_maximum_is_25_mb():
    assert settings.ATTACHMENT_MAX_BYTES == 25 * 1024 * 1024


def test_no_file_is_refused(staff_client, item, private_files):
    before = private_files()

    response = staff_client.post(upload_url(item), {"title": "Bilag uden fil"})

    assert response.status_code == 400
    assert file_error(response, item) == "Vælg en fil."
    assert not Attachment.objects.exists()
    assert private_files() == before


def test_the_error_is_shown_at_the_item_that_failed(staff_client, meeting, item, add_item, upload, sample_files):
    other = add_item(meeting, "Andet punkt")

    response = staff_client.post(upload_url(other), {"file": upload("bilag.pdf", sample_files["html"])})

    assert file_error(response, other) == NOT_ALLOWED
    assert file_error(response, item) == ""


def test_a_file_whose_name_gives_no_title_is_not_left_on_disk(staff_client, item, upload, sample_files, private_files):
    before = private_files()

    response = staff_client.post(upload_url(item), {"title": "", "file": upload(" .pdf", sample_files["pdf"])})

    if response.status_code == 302:
        assert Attachment.objects.get().title
    else:
        assert not Attachment.objects.exists()
        assert private_files() == before


# --- Document numbers ----------------------------------------------------------------------------------------------------


def test_each_bilag_gets_the_next_document_number_shown_beside_it(
    staff_client, client, committee, meeting, item, add_item, upload, sample_files
):
    second_item = add_item(meeting, "Status", case_number="15/7111")
    later = Meeting.objects.create(committee=committee, starts_at=meeting.starts_at.replace(month=4))
    later_item = add_item(later, "Opfølgning")

    for target, title in [
        (item, "Leverance 1"),
        (second_item, "Statusnotat"),
        (item, "Leverance 2"),
        (later_item, "X"),
    ]:
        staff_client.post(upload_url(target), {"title": title, "file": upload("bilag.pdf", sample_files["pdf"])})

    numbers = list(Attachment.objects.order_by("pk").values_list("document_number", flat=True))
    assert numbers == [FIRST_DOCUMENT_NUMBER + n for n in range(4)]
    builder = page(staff_client.get(reverse("meetings:builder", args=[meeting.pk])))
    assert f"Leverance 1 ({FIRST_DOCUMENT_NUMBER}," in builder
    assert f"Statusnotat ({FIRST_DOCUMENT_NUMBER + 1}," in builder
    assert f"Leverance 2 ({FIRST_DOCUMENT_NUMBER + 2}," in builder

    staff_client.post(reverse("meetings:publish", args=[meeting.pk]), {"bekraeft": "ja"})
    public = page(client.get(reverse("meetings:detail", args=[meeting.pk])))
    assert f"Leverance 1 ({FIRST_DOCUMENT_NUMBER} – EMN-2018-00651)" in public
    assert f"Statusnotat ({FIRST_DOCUMENT_NUMBER + 1} – 15/7111)" in public
    assert public.index("Leverance 1") < public.index("Leverance 2") < public.index("Statusnotat")


def test_a_document_number_is_not_given_out_twice(staff_client, item, upload, sample_files):
    for name in ("a.pdf", "b.pdf"):
        staff_client.post(upload_url(item), {"file": upload(name, sample_files["pdf"])})
    newest = Attachment.objects.order_by("-document_number").first()
    staff_client.post(reverse("meetings:attachment_delete", args=[item.meeting_id, newest.pk]), {"bekraeft": "ja"})

    staff_client.post(upload_url(item), {"file": upload("c.pdf", sample_files["pdf"])})

    assert Attachment.objects.get(original_name="c.pdf").document_number > newest.document_number


# --- Removing -------------------------------------------------------------------------------------------------------------


def test_removing_a_bilag_removes_its_file(
    staff_client, item, upload, sample_files, django_capture_on_commit_callbacks
):
    staff_client.post(upload_url(item), {"file": upload("bilag.pdf", sample_files["pdf"])})
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path)

    # The file goes once the removal is committed (a rolled-back removal keeps it).
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("meetings:attachment_delete", args=[item.meeting_id, attachment.pk]),
            {"bekraeft": "ja"},
            follow=True,
        )

    assert "Bilaget er fjernet." in page(response)
    assert not Attachment.objects.exists()
    assert not stored.exists()


def test_deleting_an_item_removes_its_bilag_files(
    staff_client, item, upload, sample_files, django_capture_on_commit_callbacks
):
    for name in ("a.pdf", "b.png"):
        kind = "pdf" if name.endswith("pdf") else "png"
        staff_client.post(upload_url(item), {"file": upload(name, sample_files[kind])})
    stored = [Path(a.file.path) for a in Attachment.objects.all()]

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("meetings:item_delete", args=[item.meeting_id, item.pk]))

    assert not Attachment.objects.exists()
    assert not any(p.exists() for p in stored)
