"""The OParl endpoints: thin views over lists.py. JSON for anyone (CORS open), cacheable by ETag."""

import hashlib
import json
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from committees.models import Municipality
from gentofte_portal.common.public_cache import public_page, shared_page

from . import lists
from . import objects as o

PAGE_SIZE = 100
# A meeting embeds its items and their bilag (about twenty each at Gentofte's pace): 25 meetings are a page of the
# same weight as 100 objects of the other lists (the spec lets the server choose; ``limit`` asks for another size).
PAGE_SIZES = {"meeting": 25}
MAX_PAGE_SIZE = 500
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


def _newest(data: dict):
    """An answer's Last-Modified: its object's ``modified``, or the newest of a list page's objects."""
    stamps = [data.get("modified")] if "modified" in data else [obj.get("modified") for obj in data.get("data", [])]
    times = [parse_datetime(t) for t in stamps if t]
    return max(times) if times else None


def _json(request, data: dict, *, status: int = 200, modified=None) -> HttpResponse:
    modified = modified or (_newest(data) if status == 200 else None)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    response["ETag"] = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest() + '"'
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    response["Cache-Control"] = "public, max-age=60"
    return response


def conditional(view):
    """304 Not Modified when the client has this answer already (If-None-Match), also when the answer came from
    the page cache (so this wraps public_page)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        etag = response.get("ETag")
        asked = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
        if response.status_code == 200 and etag and (etag in asked or "*" in asked):
            not_modified = HttpResponse(status=304)
            for header in ("ETag", "Last-Modified", "Cache-Control", "Access-Control-Allow-Origin", "Vary"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response

    return wrapped


def _error(request, message: str, status: int = 400) -> HttpResponse:
    return _json(request, {"error": message}, status=status)


def _context(request, municipality=None) -> o.Context:
    return o.Context(
        base=f"{request.scheme}://{request.get_host()}",
        omit_internal=request.GET.get("omit_internal", "").lower() in ("true", "1"),
        body_id=municipality.pk if municipality else None,
    )


def _municipality(pk) -> Municipality:
    return get_object_or_404(Municipality, pk=pk)


@require_safe
@conditional
@public_page
@shared_page
def system(request):
    municipality = Municipality.objects.order_by("pk").first()
    now = timezone.now()
    created = municipality.created_at if municipality else now
    modified = lists.last_change(municipality) if municipality else now
    return _json(
        request, o.system(_context(request), name=settings.OPARL_SYSTEM_NAME, created=created, modified=modified)
    )


@require_safe
@conditional
@public_page
@shared_page
def bodies(request):
    ctx = _context(request)
    data = []
    for municipality in Municipality.objects.order_by("pk"):
        ctx.body_id = municipality.pk
        data.append(_body(ctx, municipality))
    url = ctx.base + request.path
    return _json(
        request, {"data": data, "pagination": {"elementsPerPage": PAGE_SIZE}, "links": {"self": url, "first": url}}
    )


def _body(ctx, municipality) -> dict:
    terms = list(municipality.terms.order_by("pk"))
    return o.body(ctx, municipality, terms, lists.last_change(municipality))


@require_safe
@conditional
@public_page
@shared_page
def object_view(request, oparl_type: str, key: str):
    if oparl_type == "body":
        if not key.isdigit():
            raise Http404
        municipality = _municipality(int(key))
        return _json(request, _body(_context(request, municipality), municipality))
    found = None
    for municipality in Municipality.objects.order_by("pk"):  # one body in practice; load-test data adds another
        found = lists.find(_context(request, municipality), municipality, oparl_type, key)
        if found is not None:
            break
    else:
        found = lists.find_deleted(_context(request), oparl_type, key)
    if found is None:
        raise Http404
    return _json(request, found)


def _filters(request) -> lists.Filters | str:
    values = {}
    for name in FILTERS:
        raw = request.GET.get(name)
        if raw is None:
            continue
        value = parse_datetime(raw.replace(" ", "+"))  # an unencoded "+" arrives as a space
        if value is None:
            return f"{name}: ikke en dato og et klokkeslæt i formen 2026-01-31T12:00:00+01:00"
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        values[name] = value
    return lists.Filters(**values)


@require_safe
@conditional
@public_page
@shared_page
def list_view(request, body_pk: int, name: str):
    if name not in lists.LISTS:
        raise Http404
    municipality = _municipality(body_pk)
    filters = _filters(request)
    if isinstance(filters, str):
        return _error(request, filters)
    try:
        limit = min(max(int(request.GET.get("limit", PAGE_SIZES.get(name, PAGE_SIZE))), 1), MAX_PAGE_SIZE)
    except ValueError:
        return _error(request, "limit: skal være et helt tal")
    after = None
    if "after" in request.GET:
        index, _sep, key = request.GET["after"].partition(":")
        segments = len(lists.LISTS[name][1])
        if (
            not index.isdigit()
            or int(index) > segments
            or (lists.LISTS[name][1][0].key != "location" and not key.isdigit())
        ):
            return _error(request, "after: ukendt side")
        after = (int(index), key)
    ctx = _context(request, municipality)
    try:
        data, cursor = lists.page(ctx, municipality, name, filters=filters, after=after, limit=limit)
    except ValueError:
        return _error(request, "after: ukendt side")
    kept = {k: v for k, v in request.GET.items() if k in (*FILTERS, "omit_internal", "limit")}
    base_url = ctx.base + request.path
    links = {"first": base_url + (f"?{urlencode(kept)}" if kept else "")}
    links["self"] = ctx.base + request.get_full_path()
    if cursor is not None:
        links["next"] = base_url + "?" + urlencode({**kept, "after": f"{cursor[0]}:{cursor[1]}"})
    links["web"] = ctx.web(reverse("oparl:about"))
    return _json(request, {"data": data, "pagination": {"elementsPerPage": limit}, "links": links})


def about(request):
    """ "Åbne data": what the API holds, in Danish, with its address and licence."""
    municipality = Municipality.objects.order_by("pk").first()
    return render(
        request,
        "oparl/about.html",
        {
            "system_url": request.build_absolute_uri(reverse("oparl:system")),
            "body_url": request.build_absolute_uri(reverse("oparl:object", args=["body", municipality.pk]))
            if municipality
            else "",
            "license_name": settings.OPARL_LICENSE_NAME,
            "license_url": settings.OPARL_LICENSE_URL,
            "page_size": PAGE_SIZE,
        },
    )
