from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .health import healthz

admin.site.site_header = f"{settings.PORTAL_MUNICIPALITY_NAME}: Opgaveudvalgsportalen"
admin.site.site_title = "Opgaveudvalgsportalen"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("committees.urls")),
]
