from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "ratsinfo.measures"
    label = "measures"
    verbose_name = "Maßnahmenplan"
