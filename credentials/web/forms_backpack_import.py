"""Forms of the backpack's import pages: add one badge, connect another backpack."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from credentials.services.backpack_import import MAX_FILE_BYTES, MAX_TEXT_CHARS


class AddBadgeForm(forms.Form):
    """One of: a baked image, an address, or the credential's text."""

    file = forms.FileField(
        label=_("A baked badge image (PNG or SVG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
    )
    url = forms.CharField(
        label=_("Or the credential's address"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    text = forms.CharField(
        label=_("Or the credential itself (JSON or a compact JWS)"),
        required=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_FILE_BYTES:  # before a byte of it is read
            raise forms.ValidationError(
                _("This file is larger than %(size)s MB."),
                params={"size": MAX_FILE_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload

    def clean(self):
        data = super().clean()
        given = [name for name in ("file", "url", "text") if data.get(name) or name in self.errors]
        if not given:
            raise forms.ValidationError(
                _("Choose a badge image, give its address, or paste the credential."),
                code="empty",
            )
        if len(given) > 1:
            raise forms.ValidationError(
                _("Give one badge at a time: an image, an address or the credential's text."),
                code="several",
            )
        return data


class RemoteHostForm(forms.Form):
    address = forms.CharField(
        label=_("The other backpack's address"),
        max_length=500,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text=_("An Open Badges 3.0 host, for example https://backpack.example.org"),
    )
