"""The text of a bilag for the site search: PDF with pypdf, DOCX with the standard library (the document's XML).
Pure functions of the bytes; images and spreadsheets have no text to search. Never raises on a bad file: a bilag
whose text cannot be read is still a bilag, only not found by its text."""

import io
import logging
import zipfile
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

# A tsvector holds at most 1 MB; a bilag's first 200,000 characters are plenty to find it by.
MAX_CHARS = 200_000
MAX_PAGES = 300
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _clean(text: str) -> str:
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return " ".join(text.split())[:MAX_CHARS]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        piece = page.extract_text() or ""
        parts.append(piece)
        size += len(piece)
        if size > MAX_CHARS:
            break
    return _clean("\n".join(parts))


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > 50 * 1024 * 1024:  # a zip bomb's document is not read
            return ""
        root = ElementTree.fromstring(archive.read(info))
    paragraphs = []
    for paragraph in root.iter(f"{WORD_NS}p"):
        paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{WORD_NS}t")))
    return _clean("\n".join(paragraphs))


def extract_text(data: bytes, content_type: str) -> str:
    try:
        if content_type == PDF:
            return pdf_text(data)
        if content_type == DOCX:
            return docx_text(data)
    except Exception:  # a damaged or odd file: no text, never an error for the uploader
        logger.warning("Could not extract the text of a %s bilag", content_type, exc_info=True)
    return ""
