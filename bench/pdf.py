"""Benchmark: the portal's PDF pipeline for a referat with 40 items and 120 bilag, against WeasyPrint rendering the
same HTML string directly (same process, same fonts). Prints both times, the ratio and the page count.

    .venv/bin/python bench/pdf.py [--runs 5]

Goal (issue 6): portal overhead under 15 %, and a 40-item referat under 3 s on one core.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = Path(tempfile.gettempdir()) / "portal-bench-pdf.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gentofte_portal.settings.local")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.pop("REDIS_URL", None)


def build():
    from django.core.management import call_command
    from django.utils import timezone

    from committees.models import Committee, CommitteeMembership, Person
    from meetings.models import AgendaItem, Attachment, Attendance, Meeting, Minutes
    from tests.factories import TermFactory

    if DB.exists():
        DB.unlink()
    call_command("migrate", verbosity=0)
    committee = Committee.objects.create(
        kind="staaende", term=TermFactory(), name="Økonomiudvalget", slug="oek", seats=9
    )
    people = [Person.objects.create(name=f"Medlem {i}") for i in range(9)]
    for p in people:
        CommitteeMembership.objects.create(committee=committee, person=p, member_kind="politiker")
    meeting = Meeting.objects.create(
        committee=committee,
        starts_at=dt.datetime(2019, 3, 18, 16, tzinfo=dt.UTC),
        location="Udvalgsværelse A",
        agenda_published_at=timezone.now(),
    )
    summary = "<p>" + " ".join(["Sagen forelægges med en længere sagsfremstilling om økonomi og drift."] * 12) + "</p>"
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=i,
            title=f"Sag nummer {i} om budget og anlæg",
            case_number=f"19/{i:04d}",
            is_closed=i % 7 == 0,
            summary="x",
            summary_html=summary,
            recommendation="Forvaltningen indstiller, at sagen godkendes.",
            decision="Godkendt.",
            decision_html="<p>Godkendt.</p>",
        )
        for i in range(1, 41)
    )
    Attachment.objects.bulk_create(
        Attachment(
            item=item,
            position=j,
            title=f"Bilag {j} til sag {item.position}",
            document_number=2_170_000 + item.position * 10 + j,
            file="bilag/x.pdf",
            original_name="x.pdf",
            content_type="application/pdf",
            size=1000,
        )
        for item in items
        for j in range(1, 4)
    )
    minutes = Minutes.objects.create(
        meeting=meeting, status="offentliggjort", ended_at=dt.time(19, 0), published_at=timezone.now()
    )
    Attendance.objects.bulk_create(Attendance(minutes=minutes, person=p, presence="tilstede") for p in people)
    return meeting


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    import weasyprint
    from pypdf import PdfReader

    from gentofte_portal import pdf
    from gentofte_portal.documents.services import document_html

    meeting = build()
    html = document_html("referat", meeting.pk, "fuld")

    def portal():
        return pdf.html_to_pdf(document_html("referat", meeting.pk, "fuld"))

    def direct():
        return weasyprint.HTML(string=html, base_url="file:///", url_fetcher=pdf._fetcher).write_pdf(
            pdf_variant="pdf/ua-1"
        )

    portal(), direct()  # warm up fonts and caches
    timings = {"portal": [], "weasyprint": []}
    for _ in range(args.runs):
        for name, fn in (("portal", portal), ("weasyprint", direct)):
            start = time.perf_counter()
            data = fn()
            timings[name].append(time.perf_counter() - start)
    pages = len(PdfReader(__import__("io").BytesIO(data)).pages)
    p, w = statistics.median(timings["portal"]), statistics.median(timings["weasyprint"])
    print(f"referat: 40 items, 120 bilag, {pages} pages, {args.runs} runs (median)")
    print(f"  portal (template + render):   {p:.3f} s")
    print(f"  WeasyPrint on the same HTML:  {w:.3f} s")
    print(
        f"  overhead: {100 * (p - w) / w:+.1f} %  (goal < 15 %); 40-item referat under 3 s: {'yes' if p < 3 else 'NO'}"
    )


if __name__ == "__main__":
    main()
