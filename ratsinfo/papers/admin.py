from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.bodies.admin_access import AudienceAdminMixin
from ratsinfo.papers.models import Consultation, Paper, PaperSection, PaperSettings


class PaperSectionInline(admin.StackedInline):
    model = PaperSection
    extra = 0


class ConsultationInline(admin.TabularInline):
    model = Consultation
    extra = 0
    fields = ["order", "organization", "planned_date", "role", "authoritative", "meeting", "agenda_item"]
    raw_id_fields = ["meeting", "agenda_item"]


@admin.register(Paper)
class PaperAdmin(AudienceAdminMixin, SimpleHistoryAdmin):
    list_display = ["reference", "name", "paper_type", "date", "public", "state"]
    list_filter = ["paper_type", "public", "state"]
    search_fields = ["reference", "name"]
    date_hierarchy = "date"
    # Numbers come from the Nummernkreis at release, slugs from the number (papers/workflow.py).
    # Publication follows the release and the Einladung (papers/workflow.py, meetings/publication.py).
    readonly_fields = ["reference", "slug", "version", "published_at"]
    filter_horizontal = ["under_direction_of", "originator_persons", "originator_organizations"]
    raw_id_fields = ["related_papers", "superordinated_papers"]
    inlines = [PaperSectionInline, ConsultationInline]


@admin.register(PaperSettings)
class PaperSettingsAdmin(SimpleHistoryAdmin):
    """Per Gemeinde: public Vorlagen go online with their first meeting's agenda, or at release."""

    list_display = ["body", "publish"]
