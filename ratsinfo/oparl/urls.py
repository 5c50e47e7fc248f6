"""OParl 1.1 under /oparl/v1.1/: stable object ids like /oparl/v1.1/paper/123."""

from django.urls import path, re_path

from ratsinfo.oparl import views
from ratsinfo.oparl.serializers import KINDS

app_name = "oparl"

_OBJECT_KINDS = "|".join(KINDS)
_BODY_LISTS = "|".join(k for k in KINDS if k != "body")

urlpatterns = [
    path("", views.to_system),
    path("v1.1", views.to_system),
    path("openapi.json", views.openapi_description, name="openapi"),
    path("v1.1/", views.system, name="system"),
    path("v1.1/body", views.body_list, name="body-list"),
    re_path(rf"^v1\.1/body/(?P<pk>[0-9]+)/(?P<kind>{_BODY_LISTS})$", views.body_sublist, name="body-sublist"),
    path("v1.1/organization/<id:pk>/meeting", views.organization_meetings, name="organization-meetings"),
    path("v1.1/organization/<id:pk>/consultation", views.organization_consultations,
         name="organization-consultations"),
    path("v1.1/file/<id:pk>/access", views.file_access, name="file-access"),
    path("v1.1/file/<id:pk>/download", views.file_download, name="file-download"),
    re_path(rf"^v1\.1/(?P<kind>{_OBJECT_KINDS})/(?P<pk>[0-9]+)$", views.object_detail, name="object"),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
