from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "gentofte_portal.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluering")

    def ready(self):
        from committees import signals

        from . import receivers

        signals.task_committee_status_changed.connect(
            receivers.on_task_committee_status_changed, dispatch_uid="evaluation-status-changed"
        )
