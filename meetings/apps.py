from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Møder")

    def ready(self):
        from gentofte_portal.common.roles import secretariat_manages

        from . import documents

        documents.register()
        secretariat_manages("meetings", {"meeting": "v"})
