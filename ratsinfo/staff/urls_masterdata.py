"""/verwaltung/stammdaten/: Gremien (with Sitzungsregeln), Personen, Mitgliedschaften, Orte."""

from django.urls import path

from ratsinfo.staff import views_masterdata as v

app_name = "masterdata"
urlpatterns = [
    path("", v.index, name="index"),
    path("gremien/", v.gremium_list, name="gremien"),
    path("gremien/neu/", v.gremium_new, name="gremium_new"),
    path("gremien/<id:pk>/", v.gremium_edit, name="gremium"),
    path("gremien/<id:pk>/sitzungsregeln/", v.gremium_rules, name="gremium_rules"),
    path("gremien/<id:pk>/feste-punkte/", v.gremium_fixed_items, name="gremium_fixed_items"),
    path("gremien/<id:pk>/mitglieder/", v.gremium_members, name="gremium_members"),
    path("personen/", v.person_list, name="persons"),
    path("personen/neu/", v.person_new, name="person_new"),
    path("personen/<id:pk>/", v.person_edit, name="person"),
    path("personen/<id:pk>/mitgliedschaften/", v.person_memberships, name="person_memberships"),
    path("mitgliedschaften/<id:pk>/", v.membership_edit, name="membership"),
    path("mitgliedschaften/<id:pk>/beenden/", v.membership_end, name="membership_end"),
    path("orte/", v.location_list, name="locations"),
    path("orte/neu/", v.location_edit, name="location_new"),
    path("orte/<id:pk>/", v.location_edit, name="location"),
]
