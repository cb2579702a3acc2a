from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Issuer


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
        FieldPanel("description"),
        FieldPanel("staff"),
    ]


@hooks.register("register_admin_viewset")
def register_issuer_viewset():
    return IssuerViewSet("issuers")
