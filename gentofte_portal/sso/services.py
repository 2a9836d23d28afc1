"""Accounts of people who sign in through the municipality's provider: created at the first sign-in, their roles
set from the provider's groups at every sign-in, and nothing created for someone the portal has no role for."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from committees.models import Person
from gentofte_portal.common.audit import record_event
from gentofte_portal.common.roles import SECRETARIAT_GROUP

from .models import Identity
from .roles import Roles, roles_from_claims


class NoPortalRole(Exception):
    """The provider knows the person, but none of their groups gives a role in the portal."""


class ClaimsRejected(Exception):
    """The verified claims lack what the portal needs (a subject)."""


def _person_for(claims: dict) -> Person | None:
    """The politician's Person, found by the claim named in OIDC_PERSON_CLAIM (their email address at the
    municipality) and never by display name; no link when the claim matches no one or more than one."""
    value = str(claims.get(settings.OIDC_PERSON_CLAIM) or "").strip()
    if not value:
        return None
    people = list(Person.objects.filter(email__iexact=value)[:2])
    return people[0] if len(people) == 1 else None


def _names(claims: dict) -> tuple[str, str]:
    first, last = claims.get("given_name") or "", claims.get("family_name") or ""
    if not (first or last):
        first, _, last = str(claims.get(settings.OIDC_NAME_CLAIM) or "").rpartition(" ")
        if not first:
            first, last = last, ""
    return str(first)[:150], str(last)[:150]


def _username(issuer: str, subject: str) -> str:
    return "oidc-" + hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:32]


def _current_roles(user) -> Roles:
    return Roles(
        secretariat=user.groups.filter(name=SECRETARIAT_GROUP).exists(),
        politician=Person.objects.filter(user=user).exists(),
        admin=user.is_superuser,
    )


def _apply_roles(user, roles: Roles, person: Person | None) -> None:
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    if roles.secretariat:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    # The secretariat maintains the council and committees in the admin, as the local staff accounts do.
    user.is_staff = roles.secretariat or roles.admin
    user.is_superuser = roles.admin
    user.save(update_fields=["is_staff", "is_superuser"])
    for linked in Person.objects.filter(user=user).exclude(pk=getattr(person, "pk", None)):
        linked.user = None
        linked.save(update_fields=["user"])
    if person is not None and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    user._is_secretariat = None


def account_sign_in(*, issuer: str, claims: dict):
    """The account for verified ``claims`` with its roles brought in line with the provider's groups, or
    NoPortalRole (after taking every role from an existing account). Written in one transaction; a first sign-in
    in two tabs at once creates one account (the second finds the first's)."""
    try:
        return _account_sign_in(issuer=issuer, claims=claims)
    except IntegrityError:
        return _account_sign_in(issuer=issuer, claims=claims)


def _account_sign_in(*, issuer: str, claims: dict):
    subject = str(claims.get(settings.OIDC_SUBJECT_CLAIM) or "")
    if not subject:
        raise ClaimsRejected(f"no {settings.OIDC_SUBJECT_CLAIM} claim")
    wanted = roles_from_claims(claims)
    refused = None
    with transaction.atomic():
        identity = Identity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
        person = _person_for(claims) if wanted.politician else None
        if wanted.politician and person is None:
            wanted = Roles(secretariat=wanted.secretariat, politician=False, admin=wanted.admin)
        user = identity.user if identity else None
        before = _current_roles(user) if user else Roles()
        if user is not None and not user.is_active:
            # Deactivated in the portal by an administrator: stays out whatever the provider says.
            refused, wanted = "account deactivated", before
        elif not wanted.any():
            refused = "no person for the politician claim" if roles_from_claims(claims).politician else "no role"
            if user is not None:
                _apply_roles(user, wanted, None)
        else:
            if user is None:
                # No password given: an unusable one, so the account cannot sign in locally.
                user = get_user_model().objects.create_user(_username(issuer, subject), email="")
                Identity.objects.create(user=user, issuer=issuer, subject=subject)
            first, last = _names(claims)
            user.first_name, user.last_name = first, last
            user.email = str(claims.get(settings.OIDC_EMAIL_CLAIM) or "")[:254]
            user.save(update_fields=["first_name", "last_name", "email"])
            _apply_roles(user, wanted, person)
        data = {"issuer": issuer, "subject": subject}
        if user is not None and before != wanted:
            record_event(
                description="OpenID Connect: roller ændret",
                data={**data, "event": "roles_changed", "before": before.names(), "after": wanted.names()},
                user=user,
            )
        if refused:
            record_event(
                description="OpenID Connect: adgang nægtet",
                data={**data, "event": "refused", "reason": refused},
                user=user,
            )
        else:
            record_event(
                description="OpenID Connect: logget ind",
                data={**data, "event": "signed_in", "roles": wanted.names()},
                user=user,
            )
    if refused:
        raise NoPortalRole(refused)
    return user
