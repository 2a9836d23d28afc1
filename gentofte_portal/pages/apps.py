from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """Pages composed of several apps: the front page, the committee page, search, sitemaps, the accessibility
    statement and /healthz. The top layer: it may import every app, and none imports it."""

    name = "gentofte_portal.pages"
    label = "pages"
    verbose_name = _("Sider")

    def ready(self):
        from gentofte_portal.common.roles import secretariat_manages

        secretariat_manages("pages", {"accessibilitystatement": "avc"})

        from django.db.models.signals import post_migrate

        from .search_index import search_index_fill_after_migrate, search_index_follow

        search_index_follow()
        post_migrate.connect(search_index_fill_after_migrate, sender=self, dispatch_uid="pages-search-index-fill")
