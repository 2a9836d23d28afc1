"""Shared plumbing has no models. The module exists so that Django sends this app ``post_migrate``, on which the
Sekretariat's admin permissions are kept in step (roles.secretariat_permissions_sync, connected in apps.py)."""
