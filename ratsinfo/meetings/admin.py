from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.bodies.admin_access import AudienceAdminMixin
from ratsinfo.meetings.models import AgendaItem, Meeting


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "number", "name", "public", "result", "votes_yes", "votes_no", "votes_abstain", "votes_conflicted"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start", "meeting_state", "public", "cancelled"]
    list_filter = ["meeting_state", "public", "cancelled", "organizations"]
    search_fields = ["name"]
    date_hierarchy = "start"
    filter_horizontal = ["organizations", "participants"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(AudienceAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "public", "result"]
    list_filter = ["public"]
    search_fields = ["name", "number"]
    raw_id_fields = ["meeting"]
