from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import EQF_LEVELS, Format
from .services import CatalogueQuery


class CatalogueFilterForm(forms.Form):
    """The catalogue's search box and filters (GET). Choices come from published courses."""

    q = forms.CharField(
        label=_("Search courses"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("For example: prototype, IP, teamwork")}
        ),
    )
    framework = forms.ChoiceField(label=_("Framework"), required=False)
    competence = forms.TypedChoiceField(label=_("Competence"), required=False, coerce=int)
    level = forms.TypedChoiceField(
        label=_("EQF level"),
        required=False,
        coerce=int,
        choices=[("", _("Any level"))] + [(str(n), label) for n, label in EQF_LEVELS],
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language"))] + settings.LANGUAGES
    )
    course_format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Any format"))] + Format.choices
    )
    institution = forms.ChoiceField(label=_("Institution"), required=False)

    def __init__(self, data=None, *, options: dict):
        super().__init__(data)
        self.fields["framework"].choices = [("", _("Any framework"))] + [
            (framework.code, str(framework)) for framework in options["frameworks"]
        ]
        grouped: dict[str, list] = {}
        for competence in options["competences"]:
            grouped.setdefault(competence.framework.name, []).append(
                (str(competence.pk), f"{competence.code} {competence.name}")
            )
        self.fields["competence"].choices = [("", _("Any competence"))] + list(grouped.items())
        self.fields["institution"].choices = [("", _("Any institution"))] + [
            (issuer.slug, issuer.name) for issuer in options["institutions"]
        ]

    def query(self) -> CatalogueQuery:
        """The valid filters; invalid ones are left out (and shown as errors)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return CatalogueQuery(
            q=(data.get("q") or "").strip(),
            framework=data.get("framework") or "",
            competence=data.get("competence") or None,
            level=data.get("level") or None,
            language=data.get("language") or "",
            course_format=data.get("course_format") or "",
            institution=data.get("institution") or "",
        )
