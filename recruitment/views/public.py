"""What citizens see: open calls, the application form, the receipt and their private status page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from gentofte_portal.common.confirm import confirm_page, is_confirmed
from gentofte_portal.common.forms import add_service_errors
from gentofte_portal.common.public_cache import public_page

from .. import selectors
from ..forms import ApplicationForm
from ..models import Application
from ..services import (
    application_export,
    application_request_deletion,
    application_submit,
    application_withdraw,
    application_withdraw_check,
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


def _private(response):
    """Pages behind a citizen's private link: never cached, never indexed."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """Ask once (a page that says what happens), then delete the application at once."""
    application = _application_or_404(token)
    call = application.call
    if not is_confirmed(request):
        try:
            application_withdraw_check(application=application)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            refusal = ""
        points = [
            _("Din ansøgning til %(name)s slettes med det samme, med alle de oplysninger, du har givet os.")
            % {"name": call.committee.name},
            _("Den kan ikke gendannes, og dit private link holder op med at virke."),
            _("Vil du være med alligevel, skal du sende en ny ansøgning, så længe opslaget er åbent."),
        ]
        return _private(
            confirm_page(
                request,
                title=_("Træk ansøgningen tilbage"),
                points=points,
                button=_("Træk ansøgningen tilbage"),
                cancel_url=reverse("recruitment:status", args=[token]),
                refusal=refusal,
            )
        )
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
    return _private(render(request, "recruitment/withdrawn.html", {"call": call, "deleted": True}))


@never_cache
@require_http_methods(["GET", "POST"])
def delete_data(request, token):
    """Ask once, then delete the data; an appointed member's request goes to the secretariat instead."""
    application = _application_or_404(token)
    call = application.call
    if not is_confirmed(request):
        if application.status == Application.Status.APPOINTED:
            points = [
                _(
                    "Du er medlem af udvalget, og dit medlemskab er offentligt. "
                    "Derfor sletter vi ikke dine data med det samme."
                ),
                _("Sekretariatet får din anmodning og kontakter dig om, hvad der kan slettes."),
            ]
            button = _("Bed om at få slettet mine data")
        else:
            points = [
                _("Vi sletter din ansøgning til %(name)s og alle de oplysninger, du har givet os, med det samme.")
                % {"name": call.committee.name},
                _(
                    "Din ansøgning er dermed trukket tilbage. "
                    "Den kan ikke gendannes, og dit private link holder op med at virke."
                ),
            ]
            button = _("Slet mine data")
        return _private(
            confirm_page(
                request,
                title=_("Slet mine data"),
                points=points,
                button=button,
                cancel_url=reverse("recruitment:status", args=[token]),
            )
        )
    deleted = application_request_deletion(application=application)
    return _private(
        render(request, "recruitment/withdrawn.html", {"call": call, "deleted": deleted, "requested": not deleted})
    )
