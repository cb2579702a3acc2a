from django.urls import path

from mentoring.views import desk, learners, programmes, sessions

app_name = "mentoring"

urlpatterns = [
    path("", learners.finder, name="finder"),
    path("goals/", learners.save_goals, name="goals"),
    path("<int:pk>/", learners.mentor_detail, name="mentor"),
    path("sessions/", sessions.my_sessions, name="sessions"),
    path("sessions/<uuid:uid>/", sessions.session_detail, name="session"),
    path("sessions/<uuid:uid>/reschedule/", sessions.session_reschedule, name="reschedule"),
    path("sessions/<uuid:uid>/invite.ics", sessions.session_ics, name="session_ics"),
    path("calendar/<str:token>.ics", sessions.feed, name="feed"),
    path("calendar/new-address/", sessions.feed_rotate, name="feed_rotate"),
    path("desk/", desk.dashboard, name="dashboard"),
    path("desk/profile/", desk.profile_edit, name="profile_edit"),
    path("desk/availability/", desk.availability, name="availability"),
    path("programmes/", programmes.programme_list, name="programmes"),
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme"),
]
