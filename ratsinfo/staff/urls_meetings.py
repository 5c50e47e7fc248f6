"""/verwaltung/sitzungen/: the Sitzungsdienst's screens (included from staff/urls.py)."""

from django.urls import path

from ratsinfo.staff import views_meetings as v

urlpatterns = [
    path("sitzungen/", v.meeting_list, name="meetings"),
    path("sitzungen/beschlusskontrolle/", v.control_list, name="meeting_control"),
    path("sitzungen/beschlusskontrolle/<id:pk>/", v.control_update, name="meeting_control_update"),
    path("sitzungen/sitzungsgeld/", v.allowance_list, name="meeting_allowance"),
    path("sitzungen/<id:pk>/", v.meeting_detail, name="meeting"),
    path("sitzungen/<id:pk>/verlegen/", v.meeting_move, name="meeting_move"),
    path("sitzungen/<id:pk>/absagen/", v.meeting_cancel, name="meeting_cancel"),
    path("sitzungen/<id:pk>/tagesordnung/vorlagen/", v.agenda_compose, name="meeting_compose"),
    path("sitzungen/<id:pk>/tagesordnung/punkt/", v.agenda_add, name="meeting_add_item"),
    path("sitzungen/<id:pk>/tagesordnung/aendern/", v.agenda_item_action, name="meeting_item_action"),
    path("sitzungen/<id:pk>/einladung/", v.meeting_invite, name="meeting_invite"),
    path("sitzungen/<id:pk>/protokoll/", v.meeting_record, name="meeting_record"),
    path("sitzungen/<id:pk>/protokoll/anwesenheit/<id:person_pk>/", v.record_attendance, name="meeting_record_attendance"),
    path("sitzungen/<id:pk>/protokoll/beschlussfaehigkeit/", v.record_quorum, name="meeting_record_quorum"),
    path("sitzungen/<id:pk>/protokoll/top/<id:item_pk>/", v.record_item, name="meeting_record_item"),
    path("sitzungen/<id:pk>/protokoll/wahl/<id:item_pk>/", v.record_election, name="meeting_record_election"),
    path("sitzungen/<id:pk>/protokoll/stimme/<id:item_pk>/", v.record_own_vote, name="meeting_record_own_vote"),
    path("sitzungen/<id:pk>/protokoll/vertagen/", v.record_postpone, name="meeting_record_postpone"),
    path("sitzungen/<id:pk>/abschliessen/", v.meeting_close, name="meeting_close"),
    path("sitzungen/<id:pk>/niederschrift/<id:approved_pk>/veroeffentlichen/", v.minutes_publish, name="meeting_minutes_publish"),
    path("sitzungen/<id:pk>/bekanntgabe/", v.announce, name="meeting_announce"),
]
