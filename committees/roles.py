"""The "Sekretariat" group's admin permissions, kept in step after every migrate: staff maintain the council,
parties, persons and committees in the Django admin; mandates, meetings and applications have their own pages
(where the workflow rules live), so the admin gives only a read-only view of mandates and meetings and no access
to applicants."""

from django.contrib.auth.models import Group, Permission

SECRETARIAT_GROUP = "Sekretariat"
MANAGED = {
    "committees": {
        "term": "avc",
        "party": "avc",
        "person": "avc",
        "councilmembership": "avcd",
        "committee": "avc",
        "standingcommittee": "avc",
        "taskcommittee": "avc",
        "committeemembership": "avcd",
        "deliverable": "avc",
        "mandate": "v",
    },
    "meetings": {"meeting": "v"},
    "recruitment": {"call": "vc"},
    "gentofte_portal": {"accessibilitystatement": "avc"},
}
ACTIONS = {"a": "add", "v": "view", "c": "change", "d": "delete"}


def secretariat_permissions_sync(using="default", **kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # post_migrate reaches this before auth has made these apps' permissions: make them (idempotent) first.
    for label in MANAGED:
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    group, _ = Group.objects.using(using).get_or_create(name=SECRETARIAT_GROUP)
    wanted = [
        (app, f"{ACTIONS[letter]}_{model}")
        for app, models in MANAGED.items()
        for model, letters in models.items()
        for letter in letters
    ]
    perms = Permission.objects.using(using).filter(content_type__app_label__in=MANAGED).select_related("content_type")
    chosen = [p for p in perms if (p.content_type.app_label, p.codename) in set(wanted)]
    group.permissions.add(*chosen)
