"""Subscribing without an account: the form, the confirmation, and the subscriber's private pages (manage,
export, delete, one-click unsubscribe). Private pages are never cached and never indexed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from committees.models import Committee
from gentofte_portal.common.confirm import confirm_page, is_confirmed
from gentofte_portal.common.forms import add_service_errors
from gentofte_portal.common.ratelimits import ip_or_address_limited, noindex
from gentofte_portal.common.validators import without_control_characters

from . import selectors, services
from .forms import PreferencesForm, SubscribeForm
from .tokens import MANAGE_SALT, UNSUBSCRIBE_SALT, confirmation_from_token, subscriber_from_token


def _hours() -> int:
    return settings.SUBSCRIPTIONS_CONFIRM_HOURS


def _rate_limited(request) -> bool:
    return ip_or_address_limited(
        request,
        group="subscriptions.subscribe",
        ip_rate=settings.SUBSCRIPTIONS_RATE_LIMIT_IP,
        address_rate=settings.SUBSCRIPTIONS_RATE_LIMIT_ADDRESS,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    slug = without_control_characters(request.GET.get("udvalg", ""))[:200]
    preselected = Committee.objects.filter(slug=slug).first() if slug else None
    committees = selectors.committees_to_subscribe(include=[preselected] if preselected else [])
    initial = {"committees": [preselected.pk]} if preselected else {}
    form = SubscribeForm(request.POST or None, committees=committees, initial=initial)
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            return render(request, "subscriptions/rate_limited.html", status=429)
        if request.POST.get("website"):
            # A bot filled the honeypot: answer as if all went well, store and send nothing.
            return redirect("subscriptions:requested")
        if form.is_valid():
            try:
                services.subscription_request(
                    email=form.cleaned_data["email"],
                    committees=list(form.cleaned_data["committees"]),
                    frequency=form.cleaned_data["frequency"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("subscriptions:requested")
        status = 400
    return render(request, "subscriptions/subscribe.html", {"form": form, "preselected": preselected}, status=status)


def requested(request):
    return render(request, "subscriptions/requested.html", {"hours": settings.SUBSCRIPTIONS_CONFIRM_HOURS})


def privacy(request):
    return render(request, "subscriptions/privacy.html", {"hours": settings.SUBSCRIPTIONS_CONFIRM_HOURS})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that follows the link confirms nothing."""
    found = confirmation_from_token(token)
    if found is None:
        return noindex(render(request, "subscriptions/link_expired.html", {"hours": _hours()}, status=404))
    subscriber, committee_ids, frequency = found
    if request.method == "POST":
        try:
            services.subscription_confirm(subscriber=subscriber, committee_ids=committee_ids, frequency=frequency)
        except ValidationError as exc:
            return noindex(
                render(
                    request,
                    "subscriptions/link_expired.html",
                    {"error": " ".join(exc.messages), "hours": _hours()},
                    status=400,
                )
            )
        from .tokens import manage_token

        return redirect(reverse("subscriptions:manage", args=[manage_token(subscriber)]) + "?bekraeftet=1")
    committees = Committee.objects.filter(pk__in=committee_ids).order_by("name")
    return noindex(
        render(
            request,
            "subscriptions/confirm.html",
            {"committees": committees, "frequency": dict(subscriber.Frequency.choices).get(frequency, "")},
        )
    )


def _subscriber_or_404(token, salt):
    subscriber = subscriber_from_token(token, salt=salt)
    if subscriber is None or not subscriber.is_confirmed:
        raise Http404
    return subscriber


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    subscriber = _subscriber_or_404(token, MANAGE_SALT)
    current = list(subscriber.committees.all())
    form = PreferencesForm(
        request.POST or None,
        committees=selectors.committees_to_subscribe(include=current),
        initial={"committees": [c.pk for c in current], "frequency": subscriber.frequency},
    )
    status, saved = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                services.subscription_update(
                    subscriber=subscriber,
                    committees=list(form.cleaned_data["committees"]),
                    frequency=form.cleaned_data["frequency"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                saved = True
        status = 200 if saved else 400
    return noindex(
        render(
            request,
            "subscriptions/manage.html",
            {
                "form": form,
                "token": token,
                "subscriber": subscriber,
                "saved": saved,
                "confirmed_now": request.GET.get("bekraeftet") == "1",
                "sent": subscriber.deliveries.filter(sent_at__isnull=False).count(),
            },
            status=status,
        )
    )


@never_cache
def export(request, token):
    subscriber = _subscriber_or_404(token, MANAGE_SALT)
    response = JsonResponse(
        services.subscriber_export(subscriber=subscriber), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="abonnement-{timezone.localdate().isoformat()}.json"'
    return noindex(response)


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request, token):
    subscriber = _subscriber_or_404(token, MANAGE_SALT)
    if not is_confirmed(request):
        return noindex(
            confirm_page(
                request,
                title=_("Slet dit abonnement"),
                points=[
                    _(
                        "Din e-mailadresse, dine valg og oplysningerne om, hvad vi har sendt dig, slettes med det samme."
                    ),
                    _("Du får ikke flere e-mails fra os, og dine links holder op med at virke."),
                ],
                button=_("Slet mit abonnement"),
                cancel_url=reverse("subscriptions:manage", args=[token]),
            )
        )
    services.subscriber_delete(subscriber=subscriber)
    return noindex(render(request, "subscriptions/unsubscribed.html"))


@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no CSRF token; GET never unsubscribes
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = subscriber_from_token(token, salt=UNSUBSCRIBE_SALT)
    if request.method == "GET":
        if subscriber is None:
            return noindex(render(request, "subscriptions/unsubscribed.html", status=404))
        return noindex(render(request, "subscriptions/unsubscribe.html"))
    if subscriber is not None:
        services.subscriber_delete(subscriber=subscriber)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse(_("Du er afmeldt."), content_type="text/plain; charset=utf-8")
    return noindex(render(request, "subscriptions/unsubscribed.html"))
