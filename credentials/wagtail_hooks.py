from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from credentials import services
from credentials.models import Competency, Framework, Issuer
from credentials.services import dashboard as staff_desk_service


class IssuerViewSet(ModelViewSet):
    model = Issuer
    icon = "site"
    menu_label = _("Institutions")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "country", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("url"),
        FieldPanel("email"),
        FieldPanel("country"),
        FieldPanel("learner_identification"),
        FieldPanel("description"),
        # Staff join through a request their colleagues approve (credentials.services.
        # approvals); only a superuser sets them here, e.g. the first of a new institution.
        FieldPanel("staff", permission="credentials.set_issuer_staff_directly"),
    ]


class FrameworkViewSet(ModelViewSet):
    model = Framework
    icon = "list-ul"
    list_display = ["name", "version", "title", "uri"]
    search_fields = ["name", "title"]
    form_fields = ["code", "name", "title", "version", "publisher", "url", "uri"]


class CompetencyViewSet(ModelViewSet):
    model = Competency
    icon = "tick"
    list_display = ["code", "name", "framework", "area_name"]
    list_filter = ["framework"]
    search_fields = ["name", "description", "code"]
    form_fields = ["framework", "area_code", "area_name", "code", "name", "description", "uri"]


class CompetenceFrameworksGroup(ViewSetGroup):
    menu_label = _("Competences")
    menu_icon = "tick-inverse"
    menu_order = 210
    items = (FrameworkViewSet("frameworks"), CompetencyViewSet("competencies"))


@hooks.register("register_admin_viewset")
def register_issuer_viewset():
    return IssuerViewSet("issuers")


@hooks.register("register_admin_viewset")
def register_competence_frameworks():
    return CompetenceFrameworksGroup()


class IssuerStaffMenuItem(MenuItem):
    """Shown to superusers and to staff of at least one issuer; the pages behind it check
    object-level access (staff see only their own institution's badges and awards)."""

    def is_shown(self, request) -> bool:
        return services.issuers_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_badge_classes_menu_item():
    return IssuerStaffMenuItem(
        _("Badge classes"),
        reverse_lazy("credentials_manage:home"),
        name="badge-classes",
        icon_name="pick",
        order=205,
    )


@hooks.register("register_admin_menu_item")
def register_awards_menu_item():
    return IssuerStaffMenuItem(
        _("Awards"),
        reverse_lazy("credentials_manage:awards_home"),
        name="awards",
        icon_name="success",
        order=206,
    )


class StaffDeskPanel(Component):
    """The admin home's panel for issuer staff: their institutions' waiting requests, recent
    bulk awards and awards, with links. Nothing for anyone who acts for no institution."""

    name = "credentials_staff_desk"
    template_name = "credentials/wagtail/staff_desk_panel.html"
    order = 90  # above Wagtail's own panels: what waits for this person comes first

    def __init__(self, desk: staff_desk_service.StaffDesk) -> None:
        self.desk = desk

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["desk"] = self.desk
        return context


@hooks.register("construct_homepage_panels")
def add_staff_desk_panel(request, panels):
    desk = staff_desk_service.staff_desk(request.user)
    if desk.shown:
        panels.append(StaffDeskPanel(desk))
