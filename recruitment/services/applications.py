"""A citizen's application: submit, see, export, withdraw, delete; and staff's shortlist.

Every write is one transaction; emails are recorded in the outbox in that transaction and sent by Celery after
commit, so a failed save never sends one and a broker outage loses none.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gentofte_portal.outbox.services import outbox_enqueue

from ..models import Application, ApplicationView, Call
from ..permissions import can_view_applications


def age_problem(call: Call, birth_year: int) -> str | None:
    """The mandate's age range (e.g. 13–25 for a youth committee), by the age the applicant turns in the year of
    the deadline. Returns the message to show, or None."""
    age = call.deadline_year - birth_year
    if call.age_min is not None and age < call.age_min or call.age_max is not None and age > call.age_max:
        return f"{call.age_range_text} " + _("Du fylder %(age)s i %(year)s.") % {"age": age, "year": call.deadline_year}
    return None


@transaction.atomic
def application_submit(*, call: Call, data: dict, now=None) -> Application:
    """Store an application and schedule the confirmation email. ``data`` is a validated form's cleaned_data."""
    from ..tasks import send_application_confirmation

    now = now or timezone.now()
    if not call.is_open(now):
        if call.closed_because_appointed:
            raise ValidationError(_("Udvalgets medlemmer er udpeget, så opslaget tager ikke imod ansøgninger."))
        raise ValidationError(_("Ansøgningsfristen er overskredet, så opslaget tager ikke imod ansøgninger."))
    errors = {}
    problem = age_problem(call, data["birth_year"])
    if problem:
        errors["birth_year"] = problem
    unknown = set(data.get("competences", [])) - set(call.competences)
    if unknown:
        errors["competences"] = _("Vælg blandt opslagets kompetencer.")
    email = data["email"].strip().lower()
    if Application.objects.filter(call=call, email=email).exists():
        errors["email"] = _("Der er allerede en ansøgning fra denne e-mailadresse til opslaget.")
    if errors:
        raise ValidationError(errors)
    application = Application(
        call=call,
        name=data["name"].strip(),
        email=email,
        phone=data.get("phone", "").strip(),
        postcode=data["postcode"],
        district=data["district"],
        birth_year=data["birth_year"],
        gender=data.get("gender", ""),
        competences=[c for c in call.competences if c in set(data.get("competences", []))],
        motivation=data["motivation"].strip(),
        consent_at=now,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a second submission that raced the check above
        raise ValidationError(
            {"email": _("Der er allerede en ansøgning fra denne e-mailadresse til opslaget.")}
        ) from exc
    outbox_enqueue(task=send_application_confirmation, args=[application.pk], key=f"receipt:{application.pk}")
    return application


def application_export(*, application: Application) -> dict:
    """Everything stored about the applicant, as they may ask for it (GDPR art. 15 and 20)."""
    return {
        "opslag": application.call.title,
        "opgaveudvalg": application.call.committee.name,
        "navn": application.name,
        "e-mail": application.email,
        "telefon": application.phone,
        "postnummer": application.postcode,
        "bydel": application.get_district_display(),
        "fødselsår": application.birth_year,
        "køn": application.get_gender_display() if application.gender else "",
        "kompetencer": application.competences,
        "motivation": application.motivation,
        "samtykke_givet": application.consent_at.isoformat(),
        "modtaget": application.created_at.isoformat(),
        "status": application.get_status_display(),
        "begrundelse_for_indstilling": application.shortlist_reason,
    }


def application_withdraw_check(*, application: Application) -> None:
    """Raise the reason an application cannot be withdrawn (an appointed member leaves through the secretariat);
    the confirmation page shows it instead of the button."""
    if application.status == Application.Status.APPOINTED:
        raise ValidationError(_("Du er udpeget som medlem. Kontakt sekretariatet, hvis du vil udtræde."))


@transaction.atomic
def application_withdraw(*, application: Application) -> None:
    """A withdrawn application is deleted at once: there is no reason left to keep the data."""
    application_withdraw_check(application=application)
    ApplicationView.objects.filter(application=application).update(application_name="")
    application.delete()


@transaction.atomic
def application_request_deletion(*, application: Application, now=None) -> bool:
    """Delete the applicant's data now; for an appointed member (a public record) the request goes to staff.
    Returns True when the data was deleted."""
    if application.status == Application.Status.APPOINTED:
        application.deletion_requested_at = now or timezone.now()
        application.save(update_fields=["deletion_requested_at"])
        return False
    ApplicationView.objects.filter(application=application).update(application_name="")
    application.delete()
    return True


@transaction.atomic
def application_shortlist(*, application: Application, reason: str, by, shortlisted: bool = True) -> Application:
    """Staff recommend (indstiller) an applicant, with a reason; or take the recommendation back."""
    if not can_view_applications(by, application.call):
        raise PermissionDenied
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Application.Status.RECEIVED, Application.Status.SHORTLISTED):
        raise ValidationError(_("Udpegningen er sket; indstillingen kan ikke ændres."))
    if shortlisted and not reason.strip():
        raise ValidationError({"reason": _("Skriv en kort begrundelse for indstillingen.")})
    application.status = Application.Status.SHORTLISTED if shortlisted else Application.Status.RECEIVED
    application.shortlist_reason = reason.strip() if shortlisted else ""
    application.shortlisted_by = by if shortlisted else None
    application.full_clean()
    application.save()
    application_log_view(
        application=application, user=by, action="indstillet" if shortlisted else "indstilling fjernet"
    )
    return application


def application_log_view(*, application: Application, user, action: str = "vist") -> None:
    ApplicationView.objects.create(
        application=application,
        call_id=application.call_id,
        application_name=application.name,
        user=user,
        action=action,
    )
