"""Wagtail admin: staff manage mentoring programmes and mentor profiles.

Sessions change only through the site's pages and services (their state machine).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import MentoringProgramme, MentorProfile


class ProgrammeViewSet(ModelViewSet):
    model = MentoringProgramme
    icon = "group"
    menu_label = _("Programmes")
    list_display = ["name", "badge_class", "required_sessions", "minimum_weeks"]
    search_fields = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("badge_class"),
        FieldPanel("required_sessions"),
        FieldPanel("minimum_weeks"),
        FieldPanel("open_enrolment"),
        FieldPanel("mentors"),
        FieldPanel("learners"),
    ]


class MentorViewSet(ModelViewSet):
    model = MentorProfile
    icon = "user"
    menu_label = _("Mentors")
    list_display = ["user", "organisation", "sector", "time_zone", "is_listed"]
    list_filter = ["sector", "is_listed"]
    search_fields = ["organisation", "headline", "bio"]
    form_fields = [
        "user", "headline", "organisation", "sector", "institution", "bio", "competences",
        "time_zone", "session_minutes", "capacity", "is_listed",
    ]  # fmt: skip


class MentoringGroup(ViewSetGroup):
    menu_label = _("Mentoring")
    menu_icon = "group"
    menu_order = 220
    items = (ProgrammeViewSet("mentoring_programmes"), MentorViewSet("mentoring_mentors"))


@hooks.register("register_admin_viewset")
def register_mentoring():
    return MentoringGroup()
