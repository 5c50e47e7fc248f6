from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "ratsinfo.files"
    label = "files"
    verbose_name = "Dateien"
