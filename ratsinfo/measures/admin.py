"""Administration of the Maßnahmenplan's master data: Fördergebiete, Pläne (publishing),
Handlungsfelder, Ziele, bauliche Maßnahmen, Finanzierung and Indikatoren. Priority and status
change through decisions (`/massnahmen/<plan>/beschluss/`), so they are read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.measures.models import (
    ActionField,
    BuildingMeasure,
    FundingArea,
    Goal,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureDecision,
    MeasureFunding,
    Plan,
    PlanEdition,
)


class ActionFieldInline(admin.TabularInline):
    model = ActionField
    extra = 0


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class BuildingMeasureInline(admin.TabularInline):
    model = BuildingMeasure
    extra = 0
    fields = ["number", "title", "cost", "funding_share", "start_year", "end_year", "state"]


class FundingInline(admin.TabularInline):
    model = MeasureFunding
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(FundingArea)
class FundingAreaAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "area_ha", "inhabitants", "funding_start"]
    inlines = [BuildingMeasureInline]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "funding_area", "published"]
    list_filter = ["published"]
    filter_horizontal = ["bodies"]
    raw_id_fields = ["basis_agenda_item"]
    inlines = [ActionFieldInline]


@admin.register(ActionField)
class ActionFieldAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "order"]
    inlines = [GoalInline]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan", "action_field", "priority", "status"]
    list_filter = ["plan", "status", "priority"]
    search_fields = ["title", "number"]
    readonly_fields = ["priority", "status"]
    raw_id_fields = ["origin_agenda_item"]
    filter_horizontal = ["partners", "building_measures"]
    inlines = [FundingInline, IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "measure", "kind", "target_value"]
    inlines = [IndicatorValueInline]


@admin.register(PlanEdition)
class PlanEditionAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "edition_date"]

    def has_add_permission(self, request: Any) -> bool:
        return False  # editions come from a decision or the „Fortschreibung anlegen“ page

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(MeasureDecision)
class MeasureDecisionAdmin(admin.ModelAdmin):
    list_display = ["decided_on", "kind", "measure", "old_value", "new_value"]
    list_filter = ["kind"]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
