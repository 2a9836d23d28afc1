from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OparlConfig(AppConfig):
    name = "gentofte_portal.oparl"
    label = "oparl"
    verbose_name = _("Åbne data (OParl)")

    def ready(self):
        from . import signals

        signals.connect()
