from django.apps import AppConfig


class DevdataConfig(AppConfig):
    name = "gentofte_portal.devdata"
    label = "devdata"
    verbose_name = "Demo- og belastningsdata"
