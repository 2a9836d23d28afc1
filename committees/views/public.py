from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from gentofte_portal.common.public_cache import public_page
from gentofte_portal.documents.views import document_status, serve_document

from .. import selectors
from ..models import Committee


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
    # Read only when the template's shared fragment is not in the cache (shared_fragment).
    committees = SimpleLazyObject(lambda: list(selectors.committees_for_term(term=term)) if term else [])
    return render(
        request,
        "committees/committee_list.html",
        {
            "term": term,
            "current_term": current,
            "terms": terms,
            "standing_committees": SimpleLazyObject(
                lambda: [c for c in committees if c.kind == Committee.Kind.STANDING]
            ),
            "task_committees": SimpleLazyObject(lambda: [c for c in committees if c.kind == Committee.Kind.TASK]),
        },
    )


@public_page
def mandate_public(request, slug):
    """The published kommissorium; 404 until one is published (drafts and comments are never public)."""
    committee = get_object_or_404(Committee.objects.select_related("term"), slug=slug)
    mandate = selectors.mandate_published(committee=committee)
    if mandate is None:
        raise Http404
    return render(request, "committees/mandate_public.html", {"committee": committee, "mandate": mandate})


def _published_mandate(slug):
    """The committee and its published kommissorium (never a draft), or 404: one rule for the PDF and its status."""
    committee = get_object_or_404(Committee, slug=slug)
    mandate = selectors.mandate_published(committee=committee)
    if mandate is None:
        raise Http404
    return committee, mandate


def mandate_pdf(request, slug):
    """/udvalg/<slug>/kommissorium.pdf: the published kommissorium (never a draft)."""
    committee, mandate = _published_mandate(slug)
    return serve_document(
        request,
        kind="kommissorium",
        object_id=mandate.pk,
        full=False,
        title=f"Kommissorium {committee.name}",
        back_url=reverse("committees:mandate_public", args=[slug]),
        status_url=reverse("committees:mandate_pdf_status", args=[slug]),
    )


def mandate_pdf_status(request, slug):
    """Whether the kommissorium's PDF is ready, for the page that waits for it (JSON; 404 exactly when the PDF is)."""
    _committee, mandate = _published_mandate(slug)
    return document_status(
        request,
        kind="kommissorium",
        object_id=mandate.pk,
        full=False,
        url=reverse("committees:mandate_pdf", args=[slug]),
    )
