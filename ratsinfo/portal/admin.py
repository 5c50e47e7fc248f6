from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.portal.models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "made_on", "reviewed_on")
