from django.apps import AppConfig


class OParlConfig(AppConfig):
    name = "ratsinfo.oparl"
    label = "oparl"
    verbose_name = "OParl 1.1"
