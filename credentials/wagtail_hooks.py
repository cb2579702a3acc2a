from django.urls import reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from credentials import services
from credentials.models import Competency, Framework, Issuer


class IssuerViewSet(ModelViewSet):
    model = Issuer
    icon = "site"
    menu_label = "Institutions"
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
    menu_label = "Competences"
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
        "Badge classes",
        reverse_lazy("credentials_manage:home"),
        name="badge-classes",
        icon_name="pick",
        order=205,
    )


@hooks.register("register_admin_menu_item")
def register_awards_menu_item():
    return IssuerStaffMenuItem(
        "Awards",
        reverse_lazy("credentials_manage:awards_home"),
        name="awards",
        icon_name="success",
        order=206,
    )
