"""The course report, reachable from the Wagtail admin for editors; the admin home's panel of
the courses a person reports on; a lesson's files kept to those who may open the lesson."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from . import services
from .models import CoursePage
from .services import admin_home as admin_home_service


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return services.reportable_courses(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        gettext_lazy("Course reports"), reverse("learning:reports"), icon_name="table", order=220
    )


def _report_button(page, user):
    specific = page.specific_deferred
    if isinstance(specific, CoursePage) and services.can_view_report(user, specific):
        yield Button(
            _("Course report"),
            reverse("learning:report", args=[page.pk]),
            icon_name="table",
            priority=70,
        )


@hooks.register("register_page_header_buttons")
def course_report_header_button(page, user, view_name=None, next_url=None):
    yield from _report_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def course_report_listing_button(page, user, next_url=None):
    yield from _report_button(page, user)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def ask_badge_institution(request, page):
    """A course's badge is awarded only once its institution's staff approve the course."""
    specific = page.specific_deferred
    if isinstance(specific, CoursePage) and specific.badge_class_id:
        asked = services.request_badge_approval(specific, by=request.user)
        if asked is not None and asked.is_pending:
            messages.info(
                request,
                _(
                    "Learners get the badge “%(badge)s” once %(issuer)s's staff approve this "
                    "course; waiting for them."
                )
                % {"badge": specific.badge_class.name, "issuer": asked.issuer.name},
            )


class CoursesPanel(Component):
    """The admin home's panel for editors and course staff: per course they report on, recent
    enrolments and completions and learners asking for another attempt, with links to the
    report and the editor. An editor with no course yet is told how to create one."""

    name = "learning_courses"
    template_name = "learning/wagtail/courses_panel.html"
    order = 95  # after the credentials desk, above Wagtail's own panels

    def __init__(self, home: admin_home_service.AdminHome) -> None:
        self.home = home

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["home"] = self.home
        return context


@hooks.register("construct_homepage_panels")
def add_courses_panel(request, panels):
    home = admin_home_service.admin_home(request.user)
    if home.shown:
        panels.append(CoursesPanel(home))


@hooks.register("before_serve_document")
def keep_lesson_media_to_its_learners(document, request):
    """A lesson's video, captions and downloads are served only to those who may open the
    lesson (learning.services.may_fetch_document); anyone else is asked to log in, or told no."""
    if services.may_fetch_document(request.user, document):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("This file belongs to a lesson of a course you are not enrolled in."))
