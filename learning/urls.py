from django.urls import path

from . import views, views_completion, views_reports

app_name = "learning"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("courses/<int:course_id>/completed/", views_completion.completed, name="completed"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:course_id>/", views.report, name="report"),
    path("reports/<int:course_id>/learners.csv", views.report_csv, name="report_csv"),
    path(
        "reports/<int:course_id>/retry-awards/",
        views.report_retry_awards,
        name="report_retry_awards",
    ),
    path(
        "reports/<int:course_id>/learners/<int:enrolment_id>/",
        views_reports.report_learner,
        name="report_learner",
    ),
    path(
        "reports/<int:course_id>/learners/<int:enrolment_id>/attempts/",
        views_reports.report_attempts,
        name="report_attempts",
    ),
    path(
        "reports/<int:course_id>/reflections/",
        views_reports.report_reflections,
        name="report_reflections",
    ),
]
