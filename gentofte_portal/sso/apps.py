from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "gentofte_portal.sso"
    label = "sso"
    verbose_name = "Log ind med kommunens login"
    default_auto_field = "django.db.models.BigAutoField"
