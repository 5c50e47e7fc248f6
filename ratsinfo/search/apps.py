from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "ratsinfo.search"
    label = "search"
    verbose_name = "Suche"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ratsinfo.search import signals

        signals.connect()
