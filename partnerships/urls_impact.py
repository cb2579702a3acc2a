"""Impact dashboards: a partnership's (its members), an institution's (its staff), the site's
(editors), each with a date range, tables and CSV downloads."""

from django.urls import path

from partnerships import views_impact

app_name = "impact"

urlpatterns = [
    path("", views_impact.site, name="site"),
    path("partnerships/<slug:slug>/", views_impact.partnership, name="partnership"),
    path("institutions/<slug:slug>/", views_impact.institution, name="institution"),
]
