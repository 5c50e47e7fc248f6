from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "ratsinfo.bodies"
    label = "bodies"
    verbose_name = "Gemeinden, Gremien und Personen"
