from django import forms

from .models import Issuer


class IssuerProfileForm(forms.ModelForm):
    url = forms.URLField(label="Website", assume_scheme="https")

    class Meta:
        model = Issuer
        fields = ["name", "kind", "url", "email", "country", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
