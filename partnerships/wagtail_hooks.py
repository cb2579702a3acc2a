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
from partnerships.models import Member, Partnership
from partnerships.services import access


class PartnershipForm(WagtailAdminModelForm):
    """Courses are chosen among the default language's pages: a translation is the same
    course in other words, never another course.

    A saved member's institution is shown but cannot be changed (its agreements name it); the
    members are two institutions at least, a university and an industry partner or
    intermediary; and what the partnership runs belongs to its members: courses one of them
    co-creates, programmes and badges one of them issues."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "courses" in self.fields:
            self.fields["courses"].queryset = in_source_tree(CoursePage.objects.all()).order_by(
                "title"
            )
        members = self.formsets.get("members") if hasattr(self, "formsets") else None
        for form in members.forms if members is not None else []:
            if form.instance.pk and "issuer" in form.fields:
                form.fields["issuer"].disabled = True
                form.fields["issuer"].help_text = _(
                    "Cannot be changed: remove this member and add the other institution."
                )

    def _member_rows(self) -> list[tuple[int, str]] | None:
        """(institution id, role) of the members kept, or None while the rows are invalid."""
        members = self.formsets.get("members") if hasattr(self, "formsets") else None
        if members is None or not members.is_valid():
            return None
        return [
            (form.cleaned_data["issuer"].pk, form.cleaned_data.get("role"))
            for form in members.forms
            if form.cleaned_data
            and form.cleaned_data.get("issuer")
            and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        cleaned = super().clean()
        rows = self._member_rows()
        if rows is None:
            return cleaned
        issuers = {issuer for issuer, _role in rows}
        if len(issuers) != len(rows):
            self.add_error(None, _("Each institution is a member once only."))
        roles = {role for _issuer, role in rows}
        if (
            len(issuers) < 2
            or Member.Role.UNIVERSITY not in roles
            or roles == {Member.Role.UNIVERSITY}
        ):
            self.add_error(
                None,
                _(
                    "A partnership has two member institutions at least: a university and an "
                    "industry partner or intermediary."
                ),
            )
        self._check_links(cleaned, issuers)
        return cleaned

    def _check_links(self, cleaned: dict, issuers: set[int]) -> None:
        courses = [
            c for c in cleaned.get("courses") or [] if not issuers & _ids(c.institutions.all())
        ]
        if courses:
            self.add_error(
                "courses",
                _("No member co-creates %(courses)s.") % {"courses": _names(courses, "title")},
            )
        programmes = [
            p for p in cleaned.get("programmes") or [] if p.badge_class.issuer_id not in issuers
        ]
        if programmes:
            self.add_error(
                "programmes",
                _("%(programmes)s: its badge is not issued by a member.")
                % {"programmes": _names(programmes, "name")},
            )
        badges = [b for b in cleaned.get("badge_classes") or [] if b.issuer_id not in issuers]
        if badges:
            self.add_error(
                "badge_classes",
                _("%(badges)s: not issued by a member.") % {"badges": _names(badges, "name")},
            )


def _ids(objects) -> set[int]:
    return {o.pk for o in objects}


def _names(objects, attribute: str) -> str:
    return ", ".join(f"“{getattr(o, attribute)}”" for o in objects)


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
        InlinePanel("members", label=_("Members"), min_num=2, heading=_("Members")),
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
