from allauth.account import forms as allauth_forms
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lib.i18n import supported
from mentoring.timezones import TIME_ZONE_CHOICES

EMAIL_LABEL = _("E-mail address")


class SignUpForm(allauth_forms.SignupForm):
    """allauth's sign-up (e-mail, passwords, enumeration-safe) plus our profile fields.

    ``cms.accounts.AccountAdapter.save_user`` stores the extra fields and makes a learner.
    """

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("How your name appears to mentors and on your badges."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIME_ZONE_CHOICES,
        initial="Europe/Brussels",
        help_text=_("Mentoring sessions are shown in this time zone."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = EMAIL_LABEL
        email.widget.attrs.pop("placeholder", None)
        email.widget.attrs["autofocus"] = True
        for name, label in (("password1", _("Password")), ("password2", _("Password again"))):
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].widget.attrs.pop("placeholder", None)
        if "password1" in self.fields:
            self.fields["password1"].help_text = _(
                "At least 10 characters; not a common password, not only digits."
            )
        # The language the person is signing up in: their e-mails will be in it too.
        self.fields["language"].initial = supported(get_language()) or settings.LANGUAGE_CODE
        order = ["email", "display_name", "time_zone", "language", "password1", "password2"]
        self.order_fields(order)


class LoginForm(allauth_forms.LoginForm):
    """allauth's login by e-mail with our labels (the browser journeys look for them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = EMAIL_LABEL
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autofocus"] = True
        if "password" in self.fields:
            self.fields["password"].widget.attrs.pop("placeholder", None)
            self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me logged in on this device")


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = get_user_model()
        fields = ["display_name", "time_zone", "language"]
        labels = {"display_name": _("Your name")}
