from django.apps import AppConfig


class CorpusConfig(AppConfig):
    name = "ratsinfo.corpus"
    label = "corpus"
    verbose_name = "Demo und synthetischer Bestand"
