"""Thin views over the apps' selectors; the page cache serves their anonymous visitors."""

from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from committees import permissions
from committees import selectors as committee_selectors
from committees.models import Committee
from gentofte_portal.common.public_cache import public_page
from meetings import selectors as meeting_selectors
from recruitment.selectors import calls_open, lot_public

from .models import AccessibilityStatement


@public_page
def home(request):
    # Read (once each) only when the template's shared fragment is not in the cache (shared_fragment).
    return render(
        request,
        "pages/home.html",
        {
            "active_task_committees": _lazy_list(committee_selectors.task_committees_active, limit=12),
            "closed_task_committees": _lazy_list(committee_selectors.task_committees_recently_closed, limit=6),
            "open_calls": _lazy_list(calls_open),
            "upcoming_meetings": _lazy_list(meeting_selectors.meetings_upcoming, limit=8),
        },
    )


def _lazy_list(selector, **kwargs):
    return SimpleLazyObject(lambda: list(selector(**kwargs)))


@public_page
def committee(request, slug):
    """A committee's members, mandates and deliverables (committees), its meetings and which deliverables it
    approved at one (meetings)."""
    committee = get_object_or_404(Committee.objects.select_related("term"), slug=slug)
    return render(
        request,
        "pages/committee_detail.html",
        {
            "committee": committee,
            # Read only when the page's shared fragments are not in the cache (shared_fragment).
            "detail": SimpleLazyObject(
                lambda: committee_selectors.committee_detail_load(
                    committee, deliverables=meeting_selectors.deliverables_with_approval()
                )
            ),
            "meeting_list": SimpleLazyObject(
                lambda: list(meeting_selectors.meetings_for_committee(committee=committee))
            ),
            "statuses": Committee.Status.choices if committee.is_task_committee else [],
            "status_index": [value for value, _label in Committee.Status.choices].index(committee.status)
            if committee.is_task_committee
            else None,
            "can_propose": not committee.is_task_committee and permissions.is_secretariat(request.user),
            "lot": SimpleLazyObject(lambda: lot_public(committee=committee) if committee.is_task_committee else {}),
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
    return render(request, "pages/accessibility.html", {"statement": statement, "body": body})
