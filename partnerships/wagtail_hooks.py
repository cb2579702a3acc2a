"""Wagtail admin: editors create partnerships with their members and link what they run
(courses, mentoring programmes, badges); the "Impact" menu item leads editors to the site-wide
dashboard.

The framework itself is written by the members' staff in their workspace
(views_workspace.py), never here: its versions and agreements are records of who agreed what.
Only people with the partnership permissions (the Editors group, superusers) see the snippets.
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning.models import CoursePage
from lib.translations import in_source_tree
from partnerships.models import Partnership
from partnerships.services import access


class PartnershipForm(WagtailAdminModelForm):
    """Courses are chosen among the default language's pages: a translation is the same
    course in other words, never another course."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "courses" in self.fields:
            self.fields["courses"].queryset = in_source_tree(CoursePage.objects.all()).order_by(
                "title"
            )


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    icon = "group"
    menu_label = _("Partnerships")
    menu_order = 215
    add_to_admin_menu = True
    list_display = ["name", "started_on", "is_public"]
    list_filter = ["is_public"]
    search_fields = ["name", "summary"]
    _panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("started_on"),
        InlinePanel("members", label=_("Members"), min_num=1, heading=_("Members")),
        MultiFieldPanel(
            [
                FieldPanel("courses", widget=forms.CheckboxSelectMultiple),
                FieldPanel("programmes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("badge_classes", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("What it runs"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_public"),
                FieldPanel("publish_framework"),
                FieldPanel("publish_figures"),
            ],
            heading=_("What the public page shows"),
        ),
    ]
    edit_handler = ObjectList(_panels, base_form_class=PartnershipForm)


register_snippet(PartnershipViewSet)


class SiteImpactMenuItem(MenuItem):
    """Shown only to those who may see the site-wide impact dashboard."""

    def is_shown(self, request) -> bool:
        return access.can_see_site(request.user)


@hooks.register("register_admin_menu_item")
def register_impact_menu_item():
    return SiteImpactMenuItem(
        _("Impact"), reverse_lazy("impact:site"), name="impact", icon_name="table", order=216
    )
