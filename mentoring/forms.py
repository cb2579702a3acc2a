"""Forms: they read and check what a person typed; the services decide what it means."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, time

from django import forms
from django.conf import settings
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from credentials.models import Competency, Issuer

from . import slots
from .models import WEEKDAYS, MentorProfile
from .timezones import TIME_ZONE_CHOICES

RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})\s*$")


def parse_time(value: str) -> time:
    hours, __, minutes = (value or "").strip().partition(":")
    try:
        parsed = time(int(hours), int(minutes or 0))
    except ValueError as error:
        raise forms.ValidationError(
            _("“%(value)s” is not a time like 09:30.") % {"value": value}
        ) from error
    return parsed


class CompetenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Competency) -> str:
        return f"{obj.name} ({obj.framework.name} {obj.code})"


class MentorProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_lazy("Your time zone"),
        choices=TIME_ZONE_CHOICES,
        help_text=_lazy(
            "Your weekly hours are wall-clock times in this zone; learners see them in theirs."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_lazy("Languages you mentor in"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
    )
    competences = CompetenceChoiceField(
        label=_lazy("Competences you coach"),
        queryset=Competency.objects.select_related("framework"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list check-list--scroll"}),
        help_text=_lazy("From EntreComp, LifeComp and DigComp; learners find you by them."),
    )
    institution = forms.ModelChoiceField(
        label=_lazy("Institution on this platform"),
        queryset=Issuer.objects.all(),
        required=False,
        help_text=_lazy(
            "Link your organisation if it is one of the platform's institutions. Its "
            "staff approve before your profile names it."
        ),
    )
    meeting_url = forms.URLField(
        label=_lazy("Your own meeting link"),
        required=False,
        assume_scheme="https",
        help_text=MentorProfile._meta.get_field("meeting_url").help_text,
    )

    class Meta:
        model = MentorProfile
        fields = [
            "headline",
            "organisation",
            "sector",
            "institution",
            "bio",
            "photo",
            "competences",
            "languages",
            "time_zone",
            "session_minutes",
            "slot_step_minutes",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "min_notice_hours",
            "booking_window_days",
            "max_sessions_per_day",
            "max_sessions_per_week",
            "capacity",
            "cancellation_cutoff_hours",
            "meeting_url",
            "requires_confirmation",
            "is_listed",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_codes
            self._say_affiliation()

    def _say_affiliation(self) -> None:
        """Under the institution: where the request to name it stands."""
        affiliation = self.instance.affiliation
        if affiliation is None:
            return
        name = affiliation.issuer.name
        field = self.fields["institution"]
        if affiliation.is_pending:
            field.help_text = _(
                "Waiting for %(name)s's staff to approve. Until then your profile does not "
                "name %(name)s."
            ) % {"name": name}
        elif affiliation.state == affiliation.State.DECLINED:
            field.help_text = _(
                "%(name)s's staff declined; your profile does not name %(name)s."
            ) % {"name": name}
        elif affiliation.is_approved:
            field.help_text = _("Approved by %(name)s: your profile names it.") % {"name": name}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and getattr(photo, "size", 0) > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Choose a photo of at most 2 MB."))
        return photo


def _minutes(text: str) -> int | None:
    hours, __, minutes = (text or "").partition(":")
    try:
        return int(hours) * 60 + int(minutes or 0)
    except ValueError:
        return None


def _block(start: str, end: str) -> dict | None:
    """Where a range sits on the week timeline, in percent of the day."""
    a, b = _minutes(start), _minutes(end)
    if a is None or b is None:
        return None
    b = 24 * 60 if b == 0 else b
    if b <= a:
        return None
    return {"top": round(100 * a / 1440, 3), "height": round(100 * (b - a) / 1440, 3)}


class WeeklyAvailabilityForm:
    """The week editor posts, for each weekday, lists ``start-<day>`` and ``end-<day>``."""

    def __init__(self, data=None, *, initial: list | None = None):
        self.data = data
        self.errors: dict[int, list[str]] = {}
        self.ranges: list[tuple[int, time, time]] = []
        self.initial = initial or []

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        for day in range(7):
            starts = self.data.getlist(f"start-{day}")
            ends = self.data.getlist(f"end-{day}")
            for start, end in zip(starts, ends, strict=False):
                if not (start or "").strip() and not (end or "").strip():
                    continue
                try:
                    self.ranges.append((day, parse_time(start), parse_time(end)))
                except forms.ValidationError as error:
                    self.errors.setdefault(day, []).extend(error.messages)
        return not self.errors

    def days(self) -> list[dict]:
        """What the editor shows: per weekday its ranges (as posted, or as stored)."""
        shown = []
        for day, name in enumerate(WEEKDAYS):
            if self.data is not None:
                pairs = list(
                    zip(self.data.getlist(f"start-{day}"), self.data.getlist(f"end-{day}"),
                        strict=False)
                )  # fmt: skip
                pairs = [(s, e) for s, e in pairs if (s or "").strip() or (e or "").strip()]
            else:
                pairs = [
                    (f"{r.start_time:%H:%M}", f"{r.end_time:%H:%M}")
                    for r in self.initial
                    if r.weekday == day
                ]
            shown.append(
                {
                    "index": day,
                    "name": name,
                    "short": WEEKDAYS_ABBR[day],
                    "ranges": pairs,
                    "blocks": [_block(s, e) for s, e in pairs if _block(s, e)],
                    "errors": self.errors.get(day, []),
                }
            )
        return shown


class DateOverrideForm(forms.Form):
    date = forms.DateField(label=_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.CharField(
        label=_lazy("Hours that day"),
        required=False,
        help_text=_lazy(
            "For example “10:00–12:00, 14:00–16:30”, in your time zone. Leave empty for a day off."
        ),
    )

    def clean_hours(self) -> list[tuple[time, time]]:
        text = self.cleaned_data.get("hours") or ""
        ranges = []
        for part in filter(None, (p.strip() for p in text.split(","))):
            match = RANGE.match(part)
            if not match:
                raise forms.ValidationError(
                    _("Write “%(part)s” as a range like 10:00–12:00.") % {"part": part}
                )
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            try:
                ranges.append((time(h1, m1), time(0, 0) if h2 == 24 else time(h2, m2)))
            except ValueError as error:
                raise forms.ValidationError(
                    _("“%(part)s” is not a valid range of times.") % {"part": part}
                ) from error
        return ranges


class BookingForm(forms.Form):
    start = forms.CharField(
        label=_lazy("Time"),
        error_messages={"required": _lazy("Pick one of the free times.")},
    )
    goal = forms.CharField(
        label=_lazy("Your goal for this session"),
        max_length=300,
        help_text=_lazy("One sentence: what should be different after it?"),
    )
    agenda = forms.CharField(
        label=_lazy("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("What you would like to go through, and anything to read beforehand."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, time_zone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean_start(self) -> datetime:
        value = self.cleaned_data["start"]
        try:
            return slots.parse_local(value, self.time_zone)
        except slots.NonexistentTimeError as error:
            raise forms.ValidationError(str(error)) from error
        except ValueError as error:
            raise forms.ValidationError(_("Pick one of the free times.")) from error


class RescheduleForm(BookingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["goal"]
        del self.fields["agenda"]
        del self.fields["idempotency_key"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Why are you cancelling?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("The other person sees this."),
    )


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_lazy("Message to the learner"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_lazy("For example another time that suits you. The learner gets it by e-mail."),
    )


class MeetingLinkForm(forms.Form):
    meeting_url = forms.CharField(
        label=_lazy("Meeting link for this session"),
        required=False,
        max_length=200,
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text=_lazy(
            "Paste another link, or leave empty for a new private video room. Both of "
            "you get an updated invitation."
        ),
    )

    def __init__(self, *args, room_per_session: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not room_per_session:  # empty gives the mentor's one fixed link, not a new room
            self.fields["meeting_url"].help_text = _(
                "Paste another link, or leave empty for the link in your mentor profile. Both "
                "of you get an updated invitation."
            )


class TimeOffForm(forms.Form):
    first_day = forms.DateField(
        label=_lazy("First day off"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(
        label=_lazy("Last day off"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_lazy("Reason"),
        required=False,
        max_length=140,
        help_text=_lazy("Only you see it, e.g. “Summer holiday”."),
    )


class NoteForm(forms.Form):
    body = forms.CharField(label=_lazy("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    shared = forms.BooleanField(
        label=_lazy("Share with the learner"),
        required=False,
        initial=True,
        help_text=_lazy("Untick to keep the note private: only you can read it."),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_lazy("How useful was this session?"),
        choices=[
            (5, _lazy("5 — very useful")),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, _lazy("1 — not useful")),
        ],
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "rating-list"}),
    )
    feedback = forms.CharField(
        label=_lazy("Feedback for your mentor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("What helped, what could be better?"),
    )


class GoalsForm(forms.Form):
    competences = CompetenceChoiceField(
        label=_lazy("Competences you want to work on"),
        queryset=Competency.objects.select_related("framework"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    goals = forms.CharField(
        label=_lazy("Your goals, in your words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FinderForm(forms.Form):
    competence = forms.ModelChoiceField(
        label=_lazy("Competence"),
        queryset=Competency.objects.select_related("framework"),
        required=False,
        empty_label=_lazy("Any competence"),
    )
    sector = forms.ChoiceField(
        label=pgettext_lazy("where a mentor works", "From"),
        choices=[("", _lazy("Industry and academia")), *MentorProfile.Sector.choices],
        required=False,
    )
    language = forms.ChoiceField(
        label=_lazy("Language"),
        choices=[("", _lazy("Any language")), *settings.LANGUAGES],
        required=False,
    )
