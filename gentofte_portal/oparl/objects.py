"""The portal's public data as OParl 1.1 objects (https://oparl.org/spezifikation/): one function per type, from rows
the list selectors fetched with everything a page needs, so no function queries.

The spec's form, everywhere: ``created`` and ``modified`` on every object; date-times as
``yyyy-mm-ddThh:mm:ss±hh:mm`` in the municipality's time zone; a mandatory field is never null, an optional one
without a value is left out. What an object shows is what the public pages show (closed items through
AgendaItem.public_view, citizen members by name only).
"""

import base64
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

OPARL = "https://schema.oparl.org/1.1/"


def when(value) -> str:
    """A date-time in the spec's form: local time, whole seconds, numeric offset (never 'Z')."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def day(value) -> str:
    return value.isoformat()


def location_key(text: str) -> str:
    """A meeting place's id: its text, URL-safe (places are text on meetings, not rows of their own)."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def location_text(key: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


@dataclass
class Context:
    """What every object needs: absolute URLs, and whether internal fields are left out (``omit_internal``)."""

    base: str  # scheme and host, no trailing slash
    omit_internal: bool = False
    body_id: int | None = None
    extra: dict = field(default_factory=dict)

    def url(self, oparl_type: str, key) -> str:
        # A page names thousands of URLs: the prefix is reversed once, not per URL.
        prefix = self.extra.get("object_prefix")
        if prefix is None:
            prefix = self.extra["object_prefix"] = (
                self.base + reverse("oparl:object", args=["type", "key"])[: -len("type/key/")]
            )
        return f"{prefix}{oparl_type}/{key}/"

    def list_url(self, name: str) -> str:
        return self.base + reverse("oparl:list", args=[self.body_id, name])

    def web(self, path: str) -> str:
        return self.base + path

    def body_url(self) -> str:
        return self.url("body", self.body_id)


def clean(obj: dict) -> dict:
    """Leaves out what has no value: the spec wants optional fields absent, never null or empty."""
    return {k: v for k, v in obj.items() if v is not None and v != "" and v != []}


def base(ctx: Context, oparl_type: str, schema: str, key, created, modified, **fields) -> dict:
    return clean(
        {
            "id": ctx.url(oparl_type, key),
            "type": OPARL + schema,
            **fields,
            "created": when(created),
            "modified": when(modified),
        }
    )


def deleted(ctx: Context, tombstone, schema: str) -> dict:
    """A gone object: its id and type, its own created time, and the time it went as ``modified``."""
    return {
        "id": ctx.url(tombstone.oparl_type, tombstone.key),
        "type": OPARL + schema,
        "created": when(tombstone.created_at),
        "modified": when(tombstone.deleted_at),
        "deleted": True,
    }


SCHEMAS = {
    "body": "Body",
    "legislative-term": "LegislativeTerm",
    "organization": "Organization",
    "person": "Person",
    "membership": "Membership",
    "meeting": "Meeting",
    "agenda-item": "AgendaItem",
    "paper": "Paper",
    "consultation": "Consultation",
    "file": "File",
    "location": "Location",
}


def system(ctx: Context, *, name: str, created, modified) -> dict:
    return clean(
        {
            "id": ctx.base + reverse("oparl:system"),
            "type": OPARL + "System",
            "oparlVersion": OPARL,
            "body": ctx.base + reverse("oparl:bodies"),
            "name": name,
            "website": ctx.web("/"),
            "license": settings.OPARL_LICENSE_URL,
            "product": ctx.web(reverse("oparl:about")),
            "created": when(created),
            "modified": when(modified),
        }
    )


def body(ctx: Context, municipality, terms: list, modified) -> dict:
    lists = {
        name: ctx.list_url(name)
        for name in ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file", "membership")
    }
    return base(
        ctx,
        "body",
        "Body",
        municipality.pk,
        municipality.created_at,
        modified,
        system=ctx.base + reverse("oparl:system"),
        name=municipality.name,
        shortName=municipality.name,
        website=ctx.web("/"),
        license=settings.OPARL_LICENSE_URL,
        classification="Kommune",
        **lists,
        legislativeTerm=None if ctx.omit_internal else [legislative_term(ctx, t, embedded=True) for t in terms],
        legislativeTermList=ctx.list_url("legislativeTerm"),
        locationList=ctx.list_url("location"),
        web=ctx.web("/"),
    )


def legislative_term(ctx: Context, term, *, embedded: bool = False) -> dict:
    return base(
        ctx,
        "legislative-term",
        "LegislativeTerm",
        term.pk,
        term.created_at,
        term.modified_at,
        body=None if embedded else ctx.body_url(),
        name=f"Valgperioden {term.slug}",
        startDate=day(term.starts_on),
        endDate=day(term.ends_on),
    )


def council(ctx: Context, term) -> dict:
    """Kommunalbestyrelsen of one term: the portal keeps it as the term's council memberships."""
    return base(
        ctx,
        "organization",
        "Organization",
        f"kb-{term.pk}",
        term.created_at,
        term.modified_at,
        body=ctx.body_url(),
        name=f"Kommunalbestyrelsen {term.slug}",
        shortName="KB",
        organizationType="Gremium",
        classification="Kommunalbestyrelse",
        startDate=day(term.starts_on),
        endDate=day(term.ends_on),
    )


def committee(ctx: Context, c) -> dict:
    return base(
        ctx,
        "organization",
        "Organization",
        f"udvalg-{c.pk}",
        c.created_at,
        c.modified_at,
        body=ctx.body_url(),
        name=c.name,
        organizationType="Gremium",
        classification=c.get_kind_display(),
        startDate=day(c.starts_on) if c.starts_on else None,
        endDate=day(c.ends_on) if c.ends_on else None,
        website=ctx.web(reverse("pages:committee", args=[c.slug])),
        web=ctx.web(reverse("pages:committee", args=[c.slug])),
    )


def party(ctx: Context, p) -> dict:
    return base(
        ctx,
        "organization",
        "Organization",
        f"parti-{p.pk}",
        p.created_at,
        p.modified_at,
        body=ctx.body_url(),
        name=p.name,
        shortName=p.letter,
        organizationType="Partei",
        classification="Parti",
    )


def person(ctx: Context, p) -> dict:
    """Name only: what the public committee pages show of a member (no email, no account)."""
    return base(ctx, "person", "Person", p.pk, p.created_at, p.modified_at, body=ctx.body_url(), name=p.name)


def committee_membership(ctx: Context, m) -> dict:
    return base(
        ctx,
        "membership",
        "Membership",
        f"udvalg-{m.pk}",
        m.created_at,
        m.modified_at,
        person=ctx.url("person", m.person_id),
        organization=ctx.url("organization", f"udvalg-{m.committee_id}"),
        role=m.get_role_display() if m.member_kind == "politiker" else f"{m.get_role_display()} (borger)",
        votingRight=True,
        startDate=day(m.starts_on) if m.starts_on else None,
        endDate=day(m.ends_on) if m.ends_on else None,
        onBehalfOf=ctx.url("organization", f"parti-{m.party_id}") if m.party_id else None,
    )


def council_membership(ctx: Context, m) -> dict:
    return base(
        ctx,
        "membership",
        "Membership",
        f"kb-{m.pk}",
        m.created_at,
        m.modified_at,
        person=ctx.url("person", m.person_id),
        organization=ctx.url("organization", f"kb-{m.term_id}"),
        role=m.get_role_display(),
        votingRight=True,
        startDate=day(m.term.starts_on),
        endDate=day(m.term.ends_on),
        onBehalfOf=ctx.url("organization", f"parti-{m.party_id}"),
    )


def file_for_document(ctx: Context, document, *, name: str, access_url: str, digest) -> dict:
    return base(
        ctx,
        "file",
        "File",
        f"dokument-{document.pk}",
        document.created_at,
        document.rendered_at or document.created_at,
        name=name,
        fileName=access_url.rsplit("/", 1)[-1],
        mimeType="application/pdf",
        date=day(timezone.localdate(document.rendered_at)) if document.rendered_at else None,
        size=digest.size if digest else None,
        sha512Checksum=digest.sha512 if digest else None,
        accessUrl=access_url,
        downloadUrl=access_url,
    )


def file_for_attachment(ctx: Context, a, *, digest) -> dict:
    access = ctx.web(reverse("meetings:attachment", args=[a.meeting_pk, a.pk]))
    return base(
        ctx,
        "file",
        "File",
        f"bilag-{a.pk}",
        a.created_at,
        a.modified_at,
        name=a.title,
        fileName=a.original_name,
        mimeType=a.content_type,
        date=day(timezone.localdate(a.uploaded_at)),
        size=a.size,
        sha512Checksum=digest.sha512 if digest else None,
        accessUrl=access,
        downloadUrl=access,
        agendaItem=[ctx.url("agenda-item", a.item_id)],
        meeting=[ctx.url("meeting", a.meeting_pk)],
    )


def file_for_deliverable(ctx: Context, d, *, digest) -> dict:
    access = ctx.web(reverse("meetings:deliverable_file", args=[d.pk]))
    name = d.file.name.rsplit("/", 1)[-1]
    return base(
        ctx,
        "file",
        "File",
        f"leverance-{d.pk}",
        d.created_at,
        d.modified_at,
        name=d.title,
        fileName=name,
        mimeType=_mime(name),
        size=digest.size if digest else None,
        sha512Checksum=digest.sha512 if digest else None,
        accessUrl=access,
        downloadUrl=access,
        paper=[ctx.url("paper", f"leverance-{d.pk}")] if d.handed_over_on else None,
    )


def _mime(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def agenda_item(ctx: Context, item, *, minutes_published: bool, files: list, consultation_id=None, embedded=False):
    """An item of a published agenda. A closed one carries its number and what its publish level shows, nothing
    else: no resumé, no indstilling, no bilag (AgendaItem.public_view is the one rule)."""
    title, _decision_html = item.public_view()
    if item.is_closed:
        decision = item.decision if (minutes_published and _decision_html) else None
    else:
        decision = item.decision if minutes_published else None
    return base(
        ctx,
        "agenda-item",
        "AgendaItem",
        item.pk,
        item.created_at,
        item.modified_at,
        meeting=None if embedded else ctx.url("meeting", item.meeting_id),
        number=str(item.position),
        order=item.position,
        name=title if title else "Lukket",
        public=not item.is_closed,
        consultation=ctx.url("consultation", consultation_id) if consultation_id else None,
        resolutionText=decision,
        auxiliaryFile=None if (item.is_closed or ctx.omit_internal) else files,
    )


def meeting(ctx: Context, m, *, items: list, invitation=None, results=None, location=None, minutes=None) -> dict:
    start = m.starts_at
    end = None
    if minutes is not None and minutes.is_published and minutes.ended_at:
        local = timezone.localtime(start)
        end_at = local.replace(hour=minutes.ended_at.hour, minute=minutes.ended_at.minute, second=0)
        end = when(end_at) if end_at >= local else None
    return base(
        ctx,
        "meeting",
        "Meeting",
        m.pk,
        m.created_at,
        m.modified_at,
        name=f"{m.committee.name}, {timezone.localtime(start):%d-%m-%Y}",
        meetingState="durchgeführt" if (minutes is not None and minutes.is_published) else "terminiert",
        start=when(start),
        end=end,
        location=location,
        organization=[ctx.url("organization", f"udvalg-{m.committee_id}")],
        invitation=invitation,
        resultsProtocol=results,
        agendaItem=None if ctx.omit_internal else items,
        web=ctx.web(reverse("meetings:detail", args=[m.pk])),
    )


def location(ctx: Context, text: str, created, modified, *, embedded=False) -> dict:
    return base(
        ctx,
        "location",
        "Location",
        location_key(text),
        created,
        modified,
        description=text,
        bodies=None if embedded else [ctx.body_url()],
    )


def consultation(ctx: Context, approval, *, embedded=False) -> dict:
    return base(
        ctx,
        "consultation",
        "Consultation",
        approval.pk,
        approval.created_at,
        approval.modified_at,
        paper=None if embedded else ctx.url("paper", f"leverance-{approval.deliverable_id}"),
        agendaItem=ctx.url("agenda-item", approval.item_id),
        meeting=ctx.url("meeting", approval.item.meeting_id),
        organization=[ctx.url("organization", f"udvalg-{approval.item.meeting.committee_id}")],
        authoritative=False,
        role="Godkendelse i udvalget",
    )


def mandate_paper(ctx: Context, mandate, *, main_file=None) -> dict:
    committee_ = mandate.committee
    return base(
        ctx,
        "paper",
        "Paper",
        f"kommissorium-{committee_.pk}",
        mandate.created_at,
        mandate.updated_at,
        body=ctx.body_url(),
        name=f"Kommissorium for {committee_.name}",
        reference=mandate.approval_reference or None,
        date=day(mandate.approved_on) if mandate.approved_on else day(timezone.localdate(mandate.published_at)),
        paperType="Kommissorium",
        mainFile=main_file,
        underDirectionOf=[ctx.url("organization", f"udvalg-{committee_.pk}")],
        web=ctx.web(reverse("committees:mandate_public", args=[committee_.slug])),
    )


def deliverable_paper(ctx: Context, d, *, main_file=None, consultations=()) -> dict:
    return base(
        ctx,
        "paper",
        "Paper",
        f"leverance-{d.pk}",
        d.created_at,
        d.modified_at,
        body=ctx.body_url(),
        name=f"Leverance {d.number}: {d.title}",
        date=day(d.handed_over_on),
        paperType="Leverance til Kommunalbestyrelsen",
        mainFile=main_file,
        originatorOrganization=[ctx.url("organization", f"udvalg-{d.committee_id}")],
        consultation=list(consultations),
        web=ctx.web(reverse("pages:committee", args=[d.committee.slug])),
    )
