"""The form a badge's language edition is written in: each word beside the original's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from credentials.models import BadgeClass, BadgeEdition
from credentials.models.editions import OPTIONAL_WORDS, WORDS


class EditionForm(forms.ModelForm):
    """The ``language`` edition of ``badge``: only the words the original has (and the
    criteria page, which may have an edition of its own), each required but that page."""

    class Meta:
        model = BadgeEdition
        fields = list(WORDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "criteria_narrative": forms.Textarea(attrs={"rows": 4}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 5}),
            "prerequisites": forms.Textarea(attrs={"rows": 3}),
            "further_information": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"name": _lazy("Badge name"), "description": _lazy("Description")}
        help_texts = {
            "criteria_url": _lazy(
                "A page of the criteria in this language; leave it empty to link the original's."
            ),
        }

    def __init__(self, *args, badge: BadgeClass, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.badge, self.language = badge, language
        for name in WORDS:
            original = str(getattr(badge, name) or "").strip()
            if not original:
                del self.fields[name]  # nothing to translate
                continue
            field = self.fields[name]
            field.required = name not in OPTIONAL_WORDS
            field.original = original
            field.widget.attrs["lang"] = language
            if name != "criteria_url":
                field.widget.attrs["dir"] = "auto"

    def rows(self) -> list[tuple[forms.BoundField, str]]:
        """(field, the original's words) in the order the badge form shows them."""
        return [(self[name], self.fields[name].original) for name in self.fields]

    def words(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.fields}
