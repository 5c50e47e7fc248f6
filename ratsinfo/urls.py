from django.contrib import admin
from django.urls import include, path, register_converter

from ratsinfo.lib.forms import IdConverter
from ratsinfo.ops import views as ops_views

register_converter(IdConverter, "id")  # before the includes below use `<id:pk>`

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("verwaltung/admin/", admin.site.urls),
    path("verwaltung/", include("ratsinfo.staff.urls")),
    path("mein-ratsinfo/", include("ratsinfo.members.urls")),
    path("", include("ratsinfo.accounts.urls")),
    path("oparl/", include("ratsinfo.oparl.urls")),
    path("massnahmen/", include("ratsinfo.measures.urls")),
    path("suche/", include("ratsinfo.search.urls")),
    path("", include("ratsinfo.portal.urls")),
]

handler404 = "ratsinfo.portal.views.not_found"
handler500 = "ratsinfo.ops.outage.server_error"  # a 503 for outages, else the portal's 500 page
