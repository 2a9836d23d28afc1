from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from .common.forms import AdminLoginForm
from .common.language import language_switch
from .common.public_cache import public_page, shared_page
from .common.static import favicon
from .common.two_factor_views import two_factor_step
from .documents.views import document_status_staff, documents_staff
from .pages.health import healthz
from .pages.login import PortalLoginView
from .pages.search import search
from .pages.sitemaps import SITEMAPS
from .sso.views import sign_out

admin.site.site_header = f"{settings.PORTAL_MUNICIPALITY_NAME}: Opgaveudvalgsportalen"
admin.site.site_title = "Opgaveudvalgsportalen"
admin.site.login_form = AdminLoginForm  # the username bounded and cleaned, as on /log-ind/

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says (a PDF opened in the browser, for one).
    path("favicon.ico", favicon),
    path("soeg/", search, name="search"),
    path("arbejde/dokumenter/", documents_staff, name="documents_staff"),
    path("arbejde/dokumenter/<int:pk>/status/", document_status_staff, name="document_status_staff"),
    # An index of sections, each paged (MeetingSitemap.limit): a crawler gets small files, not every meeting in one.
    path(
        "sitemap.xml",
        public_page(shared_page(sitemap_index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", public_page(shared_page(sitemap)), {"sitemaps": SITEMAPS}, name="sitemap_section"),
    path("i18n/setlang/", language_switch, name="set_language"),
    # The statement's admin pages before it moved to the pages app (bookmarks of the secretariat).
    re_path(
        r"^admin/gentofte_portal/accessibilitystatement/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/pages/accessibilitystatement/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path(
        "log-ind/",
        PortalLoginView.as_view(),
        name="login",
    ),
    path("log-ind/kode/", two_factor_step, name="two_factor"),
    path("log-ud/", sign_out, name="logout"),
    path("", include("gentofte_portal.sso.urls")),
    path("", include("recruitment.urls")),
    path("", include("meetings.urls")),
    path("", include("gentofte_portal.subscriptions.urls")),
    path("", include("gentofte_portal.oparl.urls")),
    path("", include("gentofte_portal.network.urls")),
    path("", include("gentofte_portal.evaluation.urls")),
    path("", include("gentofte_portal.pages.urls")),
    path("", include("committees.urls")),
]

handler500 = "gentofte_portal.common.errors.server_error"
