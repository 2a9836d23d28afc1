"""Which files may be attached (bilag): PDF, DOCX, XLSX, PNG and JPEG, at most 25 MB, recognised by their content,
never by their name, so a program renamed to "bilag.pdf" is refused."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}


def sniff(upload) -> str:
    """Return the content type of an uploaded file judged by its bytes, or raise ValidationError."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Filen er tom."))
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Filen er for stor (%(mb)s MB). Et bilag må højst være %(max)s MB.")
            % {"mb": round(size / 1024 / 1024, 1), "max": settings.ATTACHMENT_MAX_BYTES // 1024 // 1024}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    raise ValidationError(
        _("Filtypen er ikke tilladt. Bilag skal være PDF, Word (DOCX), Excel (XLSX), PNG eller JPEG.")
    )
