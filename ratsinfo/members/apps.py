from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "ratsinfo.members"
    label = "members"
    verbose_name = "Mein Ratsinfo"
