from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.accounts.models import AccountSettings


@admin.register(AccountSettings)
class AccountSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("user", "demo_account", "oidc_subject")
    list_filter = ("demo_account",)
    search_fields = ("user__username",)
    raw_id_fields = ("user",)
