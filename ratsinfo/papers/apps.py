from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "ratsinfo.papers"
    label = "papers"
    verbose_name = "Vorlagen"
