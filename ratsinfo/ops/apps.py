from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ratsinfo.ops"
    label = "ops"
    verbose_name = "Betrieb"
