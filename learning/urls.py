from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:course_id>/", views.report, name="report"),
    path("reports/<int:course_id>/learners.csv", views.report_csv, name="report_csv"),
    path(
        "reports/<int:course_id>/retry-awards/",
        views.report_retry_awards,
        name="report_retry_awards",
    ),
]
