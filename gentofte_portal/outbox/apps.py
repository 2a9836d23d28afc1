from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "gentofte_portal.outbox"
    label = "outbox"
    verbose_name = "Udgående opgaver"

    def ready(self):
        from celery.signals import worker_ready

        from .tasks import sweep_on_worker_start

        worker_ready.connect(sweep_on_worker_start, dispatch_uid="outbox-sweep-on-worker-start")
