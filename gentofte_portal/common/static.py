from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request):
    """/favicon.ico, where browsers look whatever a page says: the icon's static (hashed, cached) address. Resolved
    per request, not when the URLconf loads, so a missing manifest cannot stop the site from starting."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
