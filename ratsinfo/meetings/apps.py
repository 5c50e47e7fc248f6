from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "ratsinfo.meetings"
    label = "meetings"
    verbose_name = "Sitzungen"
