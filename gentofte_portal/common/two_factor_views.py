"""The second login step for staff: set up an authenticator app once, then give its code at every login."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import two_factor
from .forms import OneTimeCodeForm


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return reverse("committees:workspace")


@never_cache
@login_required
def two_factor_step(request):
    if not two_factor.needs_second_factor(request.user, request.session):
        return redirect(_next_url(request))
    device = two_factor.confirmed_device(request.user)
    setting_up = device is None
    if setting_up:
        device = two_factor.setup_device(request.user)
    form = OneTimeCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            allowed, _why = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", _("For mange forkerte koder. Vent lidt, og prøv igen med en ny kode."))
                status = 429
            elif two_factor.verify(request, device, form.cleaned_data["token"]):
                return redirect(_next_url(request))
            else:
                form.add_error(
                    "token", _("Koden passer ikke. Koden skifter hvert 30. sekund: brug den, appen viser nu.")
                )
    context = {"form": form, "setting_up": setting_up, "next": _next_url(request)}
    if setting_up:
        context["qr_svg"] = two_factor.qr_svg(device)
        context["secret"] = two_factor.secret_for_manual_entry(device)
    return render(request, "registration/two_factor.html", context, status=status)
