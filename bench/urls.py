"""The portal's URLs plus /bench/floor/, for bench/http.py only (never in gentofte_portal.urls)."""

from django.http import HttpResponse
from django.urls import include, path

from committees.models import Term


def floor(request):
    """The framework's floor: the whole middleware stack and exactly one small query, no template."""
    return HttpResponse(f"{Term.objects.count()}\n", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("gentofte_portal.urls")),
]
