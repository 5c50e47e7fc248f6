from django.apps import AppConfig


class OParlConfig(AppConfig):
    name = "ratsinfo.oparl"
    label = "oparl"
    verbose_name = "OParl 1.1"

    def ready(self) -> None:
        from ratsinfo.oparl import signals

        signals.connect()
