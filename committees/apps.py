from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Udvalg")

    def ready(self):
        from gentofte_portal.common.roles import secretariat_manages

        from . import documents

        documents.register()
        secretariat_manages(
            "committees",
            {
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
        )
