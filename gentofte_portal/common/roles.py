"""The portal's staff role, which every app's permissions and the shared staff pages ask about, and the admin
permissions the role is given: staff maintain the council, parties, persons and committees in the Django admin;
mandates, meetings and applications have their own pages (where the workflow rules live), so the admin gives only
a read-only view of mandates and meetings and no access to applicants. Each app says what the role may do with its
own models (``secretariat_manages`` in its ``ready()``); this module knows no app."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

SECRETARIAT_GROUP = "Sekretariat"


def is_secretariat(user) -> bool:
    """Municipal staff who draft mandates: members of the group "Sekretariat" (or superusers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._is_secretariat = cached
    return cached


ACTIONS = {"a": "add", "v": "view", "c": "change", "d": "delete"}
_MANAGED: dict[str, dict[str, str]] = {}


def secretariat_manages(app_label: str, models: dict[str, str]) -> None:
    """``models``: model name -> the actions the Sekretariat may take in the admin ("avcd": add, view, change,
    delete)."""
    _MANAGED[app_label] = models


def secretariat_permissions_sync(using="default", **kwargs) -> None:
    """Kept in step after every migrate (permissions exist only then), so a new installation's staff can use the
    admin."""
    # post_migrate reaches this before auth has made these apps' permissions: make them (idempotent) first.
    for label in _MANAGED:
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    group, _ = Group.objects.using(using).get_or_create(name=SECRETARIAT_GROUP)
    wanted = {
        (app, f"{ACTIONS[letter]}_{model}")
        for app, models in _MANAGED.items()
        for model, letters in models.items()
        for letter in letters
    }
    perms = Permission.objects.using(using).filter(content_type__app_label__in=_MANAGED).select_related("content_type")
    group.permissions.add(*[p for p in perms if (p.content_type.app_label, p.codename) in wanted])
