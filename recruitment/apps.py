from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("Rekruttering")

    def ready(self):
        from gentofte_portal.common.roles import secretariat_manages

        secretariat_manages("recruitment", {"call": "vc"})
