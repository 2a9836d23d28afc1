"""What citizens see: open calls, the application form, the receipt and their private status page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from gentofte_portal.common.forms import add_service_errors
from gentofte_portal.common.public_cache import public_page

from .. import selectors
from ..forms import ApplicationForm
from ..services import (
    application_export,
    application_request_deletion,
    application_submit,
    application_withdraw,
)
from ..tokens import application_from_token


@public_page
def call_list(request):
    return render(
        request,
        "recruitment/call_list.html",
        {"open_calls": selectors.calls_open(), "closed_calls": selectors.calls_recently_closed(limit=10)},
    )


def _call_or_404(pk):
    call = selectors.call_public(pk=pk)
    if call is None:
        raise Http404
    return call


@public_page
def call_detail(request, pk):
    call = _call_or_404(pk)
    return render(request, "recruitment/call_detail.html", {"call": call, "is_open": call.is_open()})


def rate_limited(request, exception=None):
    """Too many applications from one address: a friendly page, HTTP 429."""
    return render(request, "recruitment/rate_limited.html", status=429)


@public_page
def apply(request, pk):
    call = _call_or_404(pk)
    if not call.is_open():
        return render(
            request, "recruitment/call_closed.html", {"call": call}, status=410 if request.method == "POST" else 200
        )
    form = ApplicationForm(request.POST or None, call=call)
    status = 200
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="recruitment.apply",
            key="ip",
            rate=settings.RECRUITMENT_RATE_LIMIT,
            method="POST",
            increment=True,
        ):
            return rate_limited(request)
        if request.POST.get("website"):
            # A bot filled the honeypot: answer as if all went well, store nothing.
            return redirect("recruitment:receipt", pk=call.pk)
        if form.is_valid():
            try:
                application_submit(call=call, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("recruitment:receipt", pk=call.pk)
        status = 400
    return render(request, "recruitment/apply.html", {"call": call, "form": form}, status=status)


def receipt(request, pk):
    return render(request, "recruitment/receipt.html", {"call": _call_or_404(pk)})


@public_page
def privacy(request):
    return render(request, "recruitment/privacy.html", {"retention_days": settings.RECRUITMENT_RETENTION_DAYS})


def _application_or_404(token):
    application = application_from_token(token)
    if application is None:
        raise Http404
    return application


@never_cache
def status(request, token):
    application = _application_or_404(token)
    response = render(
        request,
        "recruitment/status.html",
        {"application": application, "token": token, "retention_days": settings.RECRUITMENT_RETENTION_DAYS},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def export(request, token):
    application = _application_or_404(token)
    response = JsonResponse(
        application_export(application=application), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ansoegning-{stamp}.json"'
    return response


@require_POST
def withdraw(request, token):
    application = _application_or_404(token)
    call = application.call
    try:
        application_withdraw(application=application)
    except ValidationError as exc:
        return render(
            request,
            "recruitment/status.html",
            {
                "application": application,
                "token": token,
                "retention_days": settings.RECRUITMENT_RETENTION_DAYS,
                "error": " ".join(exc.messages),
            },
            status=400,
        )
    return render(request, "recruitment/withdrawn.html", {"call": call, "deleted": True})


@require_POST
def delete_data(request, token):
    application = _application_or_404(token)
    call = application.call
    deleted = application_request_deletion(application=application)
    return render(request, "recruitment/withdrawn.html", {"call": call, "deleted": deleted, "requested": not deleted})
