"""The course report, reachable from the Wagtail admin for editors."""

from django.contrib import messages
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from . import services
from .models import CoursePage


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return services.reportable_courses(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        "Course reports", reverse("learning:reports"), icon_name="table", order=220
    )


def _report_button(page, user):
    specific = page.specific_deferred
    if isinstance(specific, CoursePage) and services.can_view_report(user, specific):
        yield Button(
            "Course report",
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
                f"Learners get the badge “{specific.badge_class.name}” once "
                f"{asked.issuer.name}'s staff approve this course; waiting for them.",
            )
