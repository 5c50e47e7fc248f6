from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ratsinfo.ops"
    label = "ops"
    verbose_name = "Betrieb"

    def ready(self) -> None:
        from ratsinfo.lib.forms import install_range_checks

        install_range_checks()  # no id beyond 64 bits reaches the database from any form
