from django.urls import path, register_converter

from ratsinfo.measures import views, views_master


class ExportFormat:
    regex = "pdf|csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "fmt")

app_name = "measures"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("<slug:slug>/", views.plan_detail, name="plan"),
    path("<slug:slug>/tafel/", views.plan_board, name="board"),
    path("<slug:slug>/export.<fmt:fmt>", views.plan_export, name="export"),
    path("<slug:slug>/kosten/", views.costs, name="costs"),
    path("<slug:slug>/monitoring/", views.monitoring, name="monitoring"),
    path("<slug:slug>/beschluss/", views.decision_create, name="decision"),
    path("<slug:slug>/import/", views.measure_import, name="import"),
    path("<slug:slug>/massnahme/neu/", views.measure_edit, name="measure_new"),
    path("<slug:slug>/massnahme/<id:pk>/", views.measure_detail, name="measure"),
    path("<slug:slug>/massnahme/<id:pk>/bearbeiten/", views.measure_edit, name="measure_edit"),
    path("<slug:slug>/fortschreibungen/", views.edition_list, name="editions"),
    path("<slug:slug>/fortschreibungen/neu/", views.edition_create, name="edition_new"),
    path("<slug:slug>/fortschreibungen/vergleich/", views.edition_compare, name="compare"),
    path("<slug:slug>/fortschreibungen/<id:pk>/", views.edition_detail, name="edition"),
    path("<slug:slug>/fortschreibungen/<id:pk>/export.<fmt:fmt>", views.edition_export, name="edition_export"),
    path("<slug:slug>/fortschreibungen/<id:pk>/beschliessen/", views.edition_adopt, name="edition_adopt"),
    path("<slug:slug>/akteure/", views.actors, name="actors"),
    path("<slug:slug>/stammdaten/", views_master.master_index, name="master"),
    path("<slug:slug>/stammdaten/<slug:kind>/neu/", views_master.master_edit, name="master_new"),
    path("<slug:slug>/stammdaten/<slug:kind>/<id:pk>/", views_master.master_edit, name="master_edit"),
]
