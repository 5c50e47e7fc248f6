from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.bodies.admin_access import AudienceAdminMixin
from ratsinfo.meetings.models import AgendaItem, AllowanceRate, GremiumRules, Meeting


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


@admin.register(GremiumRules)
class GremiumRulesAdmin(SimpleHistoryAdmin):
    """Local rules of the Geschäftsordnung per Gremium (Ladungsfrist, Unterschrift, feste Punkte …)."""

    list_display = ["organization", "nkomvg_checks", "invitation_period_days", "signatory", "hybrid_allowed"]


@admin.register(AllowanceRate)
class AllowanceRateAdmin(SimpleHistoryAdmin):
    list_display = ["valid_from", "organization", "member_amount", "chair_amount"]
