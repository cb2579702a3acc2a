from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("", views.finder, name="finder"),
    path("goals/", views.save_goals, name="goals"),
    path("<int:pk>/", views.mentor_detail, name="mentor"),
    path("sessions/", views.my_sessions, name="sessions"),
    path("sessions/<uuid:uid>/", views.session_detail, name="session"),
    path("sessions/<uuid:uid>/reschedule/", views.session_reschedule, name="reschedule"),
    path("sessions/<uuid:uid>/invite.ics", views.session_ics, name="session_ics"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("calendar/new-address/", views.feed_rotate, name="feed_rotate"),
    path("desk/", views.dashboard, name="dashboard"),
    path("desk/profile/", views.profile_edit, name="profile_edit"),
    path("desk/availability/", views.availability, name="availability"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
]
