from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.bodies.models import Body, LegislativeTerm, Location, Membership, Organization, Person


class LegislativeTermInline(admin.TabularInline):
    model = LegislativeTerm
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organization", "on_behalf_of"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ags", "modified"]
    inlines = [LegislativeTermInline]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "meetings_public", "start_date", "end_date"]
    list_filter = ["kind", "meetings_public"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "family_name", "given_name"]
    search_fields = ["name", "family_name", "given_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "organization", "role", "voting_right", "on_behalf_of", "start_date", "end_date"]
    list_filter = ["organization"]
    autocomplete_fields = ["person", "organization", "on_behalf_of"]


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "locality"]
    search_fields = ["description", "street_address", "room"]
