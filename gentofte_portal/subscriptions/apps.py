from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "gentofte_portal.subscriptions"
    label = "subscriptions"
    verbose_name = _("Abonnementer")

    def ready(self):
        from meetings import signals

        from . import receivers

        signals.agenda_published.connect(receivers.on_agenda_published, dispatch_uid="subscriptions-agenda")
        signals.minutes_published.connect(receivers.on_minutes_published, dispatch_uid="subscriptions-minutes")
        signals.minutes_corrected.connect(receivers.on_minutes_corrected, dispatch_uid="subscriptions-correction")
