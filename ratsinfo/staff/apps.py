from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "ratsinfo.staff"
    label = "staff"
    verbose_name = "Verwaltung (Arbeitsbereich)"
