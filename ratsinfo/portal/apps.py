from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ratsinfo.portal"
    label = "portal"
    verbose_name = "Bürgerinfo"
