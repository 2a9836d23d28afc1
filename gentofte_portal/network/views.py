"""The network's pages: the public signup and its confirmation, joining from a signed link, the member's private
pages (update, invitations, renew, export, delete), and the Sekretariat's search, invitation and numbers.

Private pages are never cached and never indexed; a forged, expired or deleted member's link is a 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gentofte_portal.common.confirm import confirm_page, is_confirmed
from gentofte_portal.common.forms import add_service_errors
from gentofte_portal.common.permissions import staff_required
from gentofte_portal.common.ratelimits import ip_or_address_limited, noindex
from recruitment.tokens import application_from_token

from . import selectors, services
from .forms import InviteForm, JoinForm, MemberForm, SearchForm, SignupForm
from .models import Competence, Member
from .permissions import can_use_network
from .tokens import join_from_token, manage_token, member_from_confirm_token, member_from_manage_token


def _rate_limited(request) -> bool:
    return ip_or_address_limited(
        request,
        group="network.signup",
        ip_rate=settings.NETWORK_RATE_LIMIT_IP,
        address_rate=settings.NETWORK_RATE_LIMIT_ADDRESS,
    )


def _member_data(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "district": data["district"],
        "competences": list(data["competences"]),
        "interests": list(data["interests"]),
    }


# --- Public --------------------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            return render(request, "network/rate_limited.html", status=429)
        if request.POST.get("website"):
            # A bot filled the honeypot: answer as if all went well, store and send nothing.
            return redirect("network:requested")
        if form.is_valid():
            try:
                services.network_signup_request(
                    email=form.cleaned_data["email"], consent=form.cleaned_data["consent"], **_member_data(form)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("network:requested")
        status = 400
    return render(request, "network/signup.html", {"form": form}, status=status)


def requested(request):
    return render(request, "network/requested.html", {"hours": settings.NETWORK_CONFIRM_HOURS})


def privacy(request):
    return render(
        request,
        "network/privacy.html",
        {
            "hours": settings.NETWORK_CONFIRM_HOURS,
            "years": settings.NETWORK_CONSENT_DAYS // 365,
            "reminder_days": settings.NETWORK_REMINDER_DAYS,
            "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that follows the link confirms nothing."""
    member = member_from_confirm_token(token)
    if member is None:
        return noindex(
            render(request, "network/link_expired.html", {"hours": settings.NETWORK_CONFIRM_HOURS}, status=404)
        )
    if request.method == "POST":
        member = services.network_confirm(member=member)
        return redirect(reverse("network:manage", args=[manage_token(member)]) + "?bekraeftet=1")
    return noindex(render(request, "network/confirm.html", {"member": member}))


def _join(request, *, initial: dict, email: str, source: str, cancel_url: str | None = None):
    form = JoinForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                member = services.network_join(
                    email=email, consent=form.cleaned_data["consent"], source=source, **_member_data(form)
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(reverse("network:manage", args=[manage_token(member)]) + "?bekraeftet=1")
        status = 400
    return noindex(
        render(request, "network/join.html", {"form": form, "email": email, "cancel_url": cancel_url}, status=status)
    )


def _competences_named(names) -> list[int]:
    wanted = {str(n).strip().lower() for n in names}
    return [c.pk for c in Competence.objects.all() if c.name.lower() in wanted]


@never_cache
@require_http_methods(["GET", "POST"])
def join_from_application(request, token):
    """An applicant joins from their private application page (its signed link proves the address), with the
    form filled in from the application."""
    application = application_from_token(token)
    if application is None:
        raise Http404
    initial = {
        "name": application.name,
        "district": application.district,
        "competences": _competences_named(application.competences),
    }
    return _join(
        request,
        initial=initial,
        email=application.email,
        source=Member.Source.APPLICATION,
        cancel_url=reverse("recruitment:status", args=[token]),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def join(request, token):
    """A citizen member of a committee that ended joins from the link in the invitation email."""
    found = join_from_token(token)
    if found is None:
        return noindex(
            render(request, "network/link_expired.html", {"hours": settings.NETWORK_CONFIRM_HOURS}, status=404)
        )
    return _join(request, initial={"name": found["name"]}, email=found["email"], source=Member.Source.COMMITTEE)


# --- The member's own pages ----------------------------------------------------------------------------------------


def _member_or_404(token) -> Member:
    member = member_from_manage_token(token)
    if member is None or not member.is_confirmed:
        raise Http404
    return member


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    member = _member_or_404(token)
    form = MemberForm(
        request.POST or None,
        initial={
            "name": member.name,
            "district": member.district,
            "competences": [c.pk for c in member.competences.all()],
            "interests": [i.pk for i in member.interests.all()],
        },
    )
    status, saved = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                services.member_update(member=member, **_member_data(form))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                saved = True
        status = 200 if saved else 400
    return noindex(
        render(
            request,
            "network/manage.html",
            {
                "form": form,
                "token": token,
                "member": member,
                "saved": saved,
                "confirmed_now": request.GET.get("bekraeftet") == "1",
                "renewed": request.GET.get("fornyet") == "1",
                "invitations": list(member.invitations.select_related("call__committee")),
            },
            status=status,
        )
    )


@never_cache
@require_POST
def decline(request, token, invitation_pk):
    member = _member_or_404(token)
    try:
        services.invitation_decline(member=member, invitation_id=invitation_pk)
    except ValidationError:
        raise Http404 from None
    return redirect(reverse("network:manage", args=[token]) + "#invitationer")


@never_cache
@require_http_methods(["GET", "POST"])
def renew(request, token):
    """The link in the reminder: GET shows a button, POST renews the consent for two more years."""
    member = _member_or_404(token)
    if request.method == "POST":
        services.member_renew(member=member)
        return redirect(reverse("network:manage", args=[token]) + "?fornyet=1")
    return noindex(render(request, "network/renew.html", {"member": member, "token": token}))


@never_cache
def export(request, token):
    member = _member_or_404(token)
    response = JsonResponse(
        services.member_export(member=member), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = (
        f'attachment; filename="sparringsnetvaerk-{timezone.localdate().isoformat()}.json"'
    )
    return noindex(response)


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request, token):
    member = _member_or_404(token)
    if not is_confirmed(request):
        return noindex(
            confirm_page(
                request,
                title=_("Forlad Sparringsnetværket"),
                points=[
                    _("Dit navn, din e-mailadresse, dine valg og dine invitationer slettes med det samme."),
                    _("Vi kontakter dig ikke igen om netværket, og dit private link holder op med at virke."),
                ],
                button=_("Slet mine data"),
                cancel_url=reverse("network:manage", args=[token]),
            )
        )
    services.member_delete(member=member)
    return noindex(render(request, "network/deleted.html"))


# --- The Sekretariat -----------------------------------------------------------------------------------------------


@staff_required(can_use_network)
def staff_search(request):
    form = SearchForm(request.GET or None)
    members = None
    status = 200
    if request.GET:
        if form.is_valid():
            members = list(
                selectors.members_search(
                    competences=form.cleaned_data["competences"],
                    interests=form.cleaned_data["interests"],
                    districts=form.cleaned_data["districts"],
                )
            )
            services.members_log_access(members=members, by=request.user)
        else:
            status = 400
    return render(
        request,
        "network/staff/search.html",
        {"form": form, "members": members, "invite_form": InviteForm(), "numbers": selectors.network_numbers()},
        status=status,
    )


@staff_required(can_use_network)
@require_POST
def staff_invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitations = services.network_invite(
                member_ids=[m.pk for m in form.cleaned_data["members"]],
                kind=form.cleaned_data["kind"],
                call=form.cleaned_data["call"],
                task=form.cleaned_data["task"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(n)s invitation er sendt.", "%(n)s invitationer er sendt.", len(invitations))
                % {"n": len(invitations)},
            )
            return redirect("network:staff_search")
    chosen = form.cleaned_data.get("members") if hasattr(form, "cleaned_data") else None
    members = list(chosen.prefetch_related("competences", "interests")) if chosen is not None else []
    return render(request, "network/staff/invite.html", {"form": form, "members": members}, status=400)
