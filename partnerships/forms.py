"""The members' form to propose a new version of the framework, with its expected results.

The forms only check and clean what was typed; ``partnerships.services.framework`` decides
(members only, owners among the members, an identical proposal creating nothing)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credentials.models import Issuer
from partnerships.models import ExpectedResult, FrameworkVersion, Partnership
from partnerships.services.framework import FIELDS, RESULT_FIELDS

# One empty row at the end of the expected results, to add one; "Add a row" adds another.
EXTRA_ROWS = 1
MAX_ROWS = 50


class FrameworkForm(forms.ModelForm):
    """The framework's words (never saved by the form: the service writes a new version)."""

    class Meta:
        model = FrameworkVersion
        fields = [*FIELDS, "change_note"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in FIELDS if name != "meeting_rhythm"
        }


class ResultForm(forms.ModelForm):
    """One expected result; its owner chosen among the partnership's members."""

    class Meta:
        model = ExpectedResult
        fields = list(RESULT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "terms": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, owners=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Issuer.objects.none()
        self.fields["owner"].empty_label = _("Choose a member")
        for name in ("may_use", "licence", "confidentiality", "innovation_potential"):
            self.fields[name].choices = [("", _("Choose…")), *self.fields[name].choices[1:]]

    def as_result(self) -> dict:
        return {name: self.cleaned_data[name] for name in RESULT_FIELDS}


class BaseResultFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if forms.formsets.DELETION_FIELD_NAME in form.fields:
            form.fields[forms.formsets.DELETION_FIELD_NAME].label = _("Remove this result")

    def results(self) -> list[dict]:
        """The rows kept, in order: not ticked "Remove", not an extra row left empty (whose
        ``cleaned_data`` is empty; a row carried over from the last version always has one)."""
        return [
            form.as_result()
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


ResultFormSet = forms.formset_factory(
    ResultForm,
    formset=BaseResultFormSet,
    extra=EXTRA_ROWS,
    can_delete=True,
    max_num=MAX_ROWS,
    validate_max=True,
)


def initial_words(version: FrameworkVersion | None) -> dict:
    if version is None:
        return {}
    return {name: getattr(version, name) for name in FIELDS}


def initial_results(version: FrameworkVersion | None) -> list[dict]:
    if version is None:
        return []
    return [
        {name: (r.owner_id if name == "owner" else getattr(r, name)) for name in RESULT_FIELDS}
        for r in version.results.all()
    ]


def with_another_row(data, prefix: str = "results"):
    """The posted data with one more (empty) row of expected results: "Add a row"."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, MAX_ROWS))
    return data


class PublicationForm(forms.ModelForm):
    """What the public page shows, as the members' staff choose it in the workspace."""

    class Meta:
        model = Partnership
        fields = ["is_public", "publish_framework", "publish_figures"]
