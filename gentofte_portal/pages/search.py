"""Site search over what is public: committees, published mandates' committees, open calls and the open items
of published agendas. Closed items and drafts are never indexed, so they can never be a hit."""

from django.db.models import Q
from django.shortcuts import render

from committees.models import Committee
from gentofte_portal.common.public_cache import public_page
from gentofte_portal.common.validators import without_control_characters
from meetings.selectors import items_search
from recruitment.selectors import calls_open


@public_page
def search(request):
    query = without_control_characters(request.GET.get("q") or "").strip()[:200]
    results = {}
    if len(query) >= 2:
        results = {
            "committees": list(
                Committee.objects.filter(Q(name__icontains=query) | Q(purpose__icontains=query))
                .select_related("term")
                .order_by("-term__starts_on", "name")[:30]
            ),
            "calls": [c for c in calls_open() if query.lower() in (c.title + " " + c.text).lower()][:20],
            "items": list(items_search(query=query, limit=50)),
        }
    return render(request, "search.html", {"query": query, "results": results})
