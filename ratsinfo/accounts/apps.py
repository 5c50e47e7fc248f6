from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ratsinfo.accounts"
    label = "accounts"
    verbose_name = "Konten und Protokoll"

    def ready(self) -> None:
        from ratsinfo.accounts import signals  # noqa: F401  (connects the audit receivers)
