from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Udvalg")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import documents
        from .roles import secretariat_permissions_sync

        documents.register()

        # After every migrate (permissions exist only then), so a new installation's staff can use the admin.
        post_migrate.connect(secretariat_permissions_sync, sender=self, dispatch_uid="secretariat_permissions")
