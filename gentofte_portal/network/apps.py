from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The citizens' network (Sparringsnetværket, issue 16): citizens who agreed to be asked again, matched by
    competences and interests. The top layer: it imports recruitment and committees; nothing imports it."""

    name = "gentofte_portal.network"
    label = "network"
    verbose_name = _("Sparringsnetværket")

    def ready(self):
        from committees.signals import task_committee_status_changed
        from gentofte_portal.common.roles import secretariat_manages

        from . import receivers

        # Staff keep the lists members choose from; members' own data is seen only on the workspace's pages.
        secretariat_manages("network", {"competence": "avcd", "interest": "avcd"})
        task_committee_status_changed.connect(receivers.on_task_committee_status_changed, dispatch_uid="network-closed")
