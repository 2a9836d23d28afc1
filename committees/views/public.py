from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language

from gentofte_portal.models import AccessibilityStatement
from gentofte_portal.public_cache import public_page
from meetings.selectors import meetings_upcoming
from recruitment.selectors import calls_open

from .. import permissions, selectors
from ..models import Committee


@public_page
def home(request):
    return render(
        request,
        "committees/home.html",
        {
            "active_task_committees": selectors.task_committees_active(limit=12),
            "closed_task_committees": selectors.task_committees_recently_closed(limit=6),
            "open_calls": calls_open(),
            "upcoming_meetings": meetings_upcoming(limit=8),
        },
    )


@public_page
def committee_list(request):
    terms = list(selectors.terms_all())
    current = selectors.term_current()
    wanted = request.GET.get("valgperiode")
    if wanted:
        term = next((t for t in terms if t.slug == wanted), None)
        if term is None:
            raise Http404("Ukendt valgperiode")
    else:
        term = current
    committees = list(selectors.committees_for_term(term=term)) if term else []
    return render(
        request,
        "committees/committee_list.html",
        {
            "term": term,
            "current_term": current,
            "terms": terms,
            "standing_committees": [c for c in committees if c.kind == Committee.Kind.STANDING],
            "task_committees": [c for c in committees if c.kind == Committee.Kind.TASK],
        },
    )


@public_page
def committee_detail(request, slug):
    committee = selectors.committee_detail(slug=slug)
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "statuses": Committee.Status.choices if committee.is_task_committee else [],
            "status_index": [value for value, _label in Committee.Status.choices].index(committee.status)
            if committee.is_task_committee
            else None,
            "can_propose": not committee.is_task_committee and permissions.is_secretariat(request.user),
        },
    )


@public_page
def accessibility_statement(request):
    """The statement the secretariat keeps in the admin, or the default text until there is one."""
    statement = AccessibilityStatement.objects.order_by("-pk").first()
    body = None
    if statement is not None:
        english = get_language() == "en" and statement.body_en_html
        body = statement.body_en_html if english else statement.body_html
    return render(request, "committees/accessibility.html", {"statement": statement, "body": body})


@public_page
def mandate_public(request, slug):
    """The published kommissorium; 404 until one is published (drafts and comments are never public)."""
    committee = get_object_or_404(Committee.objects.select_related("term"), slug=slug)
    mandate = selectors.mandate_published(committee=committee)
    if mandate is None:
        raise Http404
    return render(request, "committees/mandate_public.html", {"committee": committee, "mandate": mandate})


def mandate_pdf(request, slug):
    """/udvalg/<slug>/kommissorium.pdf: the published kommissorium (never a draft)."""
    from gentofte_portal.document_views import serve_document

    committee = get_object_or_404(Committee, slug=slug)
    mandate = selectors.mandate_published(committee=committee)
    if mandate is None:
        raise Http404
    return serve_document(
        request,
        kind="kommissorium",
        object_id=mandate.pk,
        full=False,
        title=f"Kommissorium {committee.name}",
        back_url=reverse("committees:mandate_public", args=[slug]),
    )
