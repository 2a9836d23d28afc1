from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The PDF pipeline: the Document model, rendering (pdf.py, the one module importing WeasyPrint), storing,
    serving and the Celery task. Each domain app registers its kinds of document (services.register_document_kind).

    The label is the project's, kept from when the pipeline lived in the project package: the table, the migration
    history, the permissions and the audit log's entries of documents stay as they were, with nothing to move."""

    name = "gentofte_portal.documents"
    label = "gentofte_portal"
    verbose_name = _("Dokumenter")

    def ready(self):
        from celery.signals import worker_ready

        from .tasks import requeue_documents_on_worker_start

        # A worker that starts after a crash sends at once the renders that were owed.
        worker_ready.connect(requeue_documents_on_worker_start, dispatch_uid="documents-requeue-on-worker-start")
