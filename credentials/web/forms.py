from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from credentials.issuing.images import MAX_PNG_BYTES, MAX_SVG_BYTES, PNG_SIZE, normalise_badge_image
from credentials.models import BadgeClass, Competency, Issuer
from credentials.models.badges import EMPTY_TAGS
from credentials.services.publishing import missing_elements, required_elements
from credentials.standards import eu_annex


class IssuerProfileForm(forms.ModelForm):
    url = forms.URLField(label=_lazy("Website"), assume_scheme="https")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Optional in what is posted: a form that does not send it keeps the choice.
        self.fields["learner_identification"].required = False

    def clean_learner_identification(self) -> str:
        return self.cleaned_data.get("learner_identification") or (
            self.instance.learner_identification
        )

    class Meta:
        model = Issuer
        fields = [
            "name",
            "kind",
            "url",
            "email",
            "country",
            "description",
            "learner_identification",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "learner_identification": forms.RadioSelect,
        }


# The mandatory EU micro-credential elements (Annex I; the table in
# credentials.standards.eu_annex) a badge class carries, mapped to the form fields that fill
# them: the live checklist (static/js/credentials.js) ticks an element as soon as one of its
# fields has a value. The others come from the issuer's profile, or from each award.
EU_ELEMENT_FIELDS: dict[str, tuple[str, ...]] = {
    element.label_in(eu_annex.TEXT): element.fields
    for element in required_elements()
    if element.source == eu_annex.BADGE
}
FROM_EACH_AWARD = tuple(
    element.label_in(eu_annex.TEXT)
    for element in eu_annex.MANDATORY
    if element.source == eu_annex.AWARD
)
_FROM = {
    eu_annex.BADGE: "form",
    eu_annex.ISSUER: _lazy("the issuer's profile"),
    eu_annex.AWARD: _lazy("each award"),
}
RESERVED_SLUGS = {"new"}  # /credentials/manage/<issuer>/badges/new/ creates one


def eu_checklist(badge_class: BadgeClass) -> list[dict]:
    """Every mandatory EU element, whether ``badge_class`` (saved or not) has it, and its fields.

    The list of elements is the one ``credentials.services.publishing`` enforces, so the
    checklist and the publish rule cannot disagree; those each award carries come last.
    """
    missing = set(missing_elements(badge_class))
    items = []
    for element in required_elements():
        label = element.label_in(eu_annex.TEXT)
        items.append(
            {
                "label": label,
                "present": label not in missing,
                "fields": " ".join(EU_ELEMENT_FIELDS.get(label, ())),
                "source": _FROM[element.source],
            }
        )
    items += [
        {"label": label, "present": True, "fields": "", "source": _FROM[eu_annex.AWARD]}
        for label in FROM_EACH_AWARD
    ]
    return items


# The badge form's sections. The EU ones are the badge class fields of the elements of Annex I
# part 1 (mandatory, or "if applicable") and part 2 (optional), but those the badge section has.
_BADGE_SECTION = ("name", "slug", "description", "image", "achievement_type", "language", "tags")
BADGE_FORM_SECTIONS: dict[str, tuple[str, ...]] = {
    "badge": _BADGE_SECTION,
    "criteria": ("criteria_narrative", "criteria_url", "alignments"),
    "eu": (
        "is_micro_credential",
        *(name for name in eu_annex.badge_fields(1) if name not in _BADGE_SECTION),
    ),
    "eu_optional": tuple(n for n in eu_annex.badge_fields(2) if n not in _BADGE_SECTION),
    "rules": ("validity_days", "allow_reaward", "part_of"),
}
# What the live preview beside the form shows of the EU elements, by the fields of the table.
_OUTCOMES = eu_annex.element("learning_outcomes").fields[0]
_HOURS = next(t.field for t in eu_annex.element("workload").terms if t.kind == eu_annex.DURATION)


def _image_help() -> str:
    return _(
        "PNG (up to %(png_mb)s MB) or SVG (up to %(svg_kb)s KB). Square works best; we "
        "store it at %(size)s×%(size)s. Without one, a badge with its initials is drawn."
    ) % {
        "png_mb": MAX_PNG_BYTES // (1024 * 1024),
        "svg_kb": MAX_SVG_BYTES // 1024,
        "size": PNG_SIZE,
    }


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Competency) -> str:
        return f"{obj.code} {obj.name}"


class BadgeClassForm(forms.ModelForm):
    """Create or edit a badge class of one issuer (passed as ``issuer``)."""

    image = forms.FileField(
        label=_lazy("Badge image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/svg+xml,.png,.svg"}),
        help_text=lazy(_image_help, str)(),
    )
    slug = forms.SlugField(
        max_length=80,
        required=False,
        help_text=_lazy("Part of the badge's address. Leave empty to make one from the name."),
    )
    alignments = CompetencyChoiceField(
        queryset=Competency.objects.select_related("framework").order_by("framework__name", "pk"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_lazy("Aligned competences"),
        help_text=_lazy("The EntreComp, LifeComp or DigComp competences this badge shows."),
    )
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text=_lazy("Comma-separated keywords, e.g. co-creation, design thinking."),
    )
    criteria_url = forms.URLField(
        label=_lazy("Criteria URL"), required=False, assume_scheme="https", max_length=200
    )

    field_groups = BADGE_FORM_SECTIONS

    class Meta:
        model = BadgeClass
        fields = [name for names in BADGE_FORM_SECTIONS.values() for name in names]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria_narrative": forms.Textarea(attrs={"rows": 3}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 4}),
            "prerequisites": forms.Textarea(attrs={"rows": 2}),
            "further_information": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "is_micro_credential": _lazy(
                "A micro-credential can only be published once every mandatory EU element "
                "is filled in."
            ),
            **{e.fields[0]: e.hint for e in eu_annex.ELEMENTS if e.hint},
        }

    def __init__(self, *args, issuer: Issuer, **kwargs) -> None:
        self.issuer = issuer
        kwargs.setdefault("instance", BadgeClass(issuer=issuer))
        super().__init__(*args, **kwargs)
        # The field is text: the model's list would be shown as its repr ("[]" on a new badge).
        self.initial["tags"] = ", ".join(self.instance.display_tags)
        # Optional in what is posted: a form that does not send it keeps the language.
        self.fields["language"].required = False
        for name in ("name", "description", _OUTCOMES, _HOURS):
            self.fields[name].widget.attrs["data-preview"] = name
        for label, names in EU_ELEMENT_FIELDS.items():
            for name in names:
                self.fields[name].widget.attrs["data-eu-element"] = label
        # Stacking (a learner's CLR record states it): only this institution's other badges.
        part_of = self.fields["part_of"]
        part_of.queryset = (
            BadgeClass.objects.filter(issuer=issuer)
            .exclude(pk=self.instance.pk)
            .exclude(status=BadgeClass.Status.ARCHIVED)
            .order_by("name")
        )
        part_of.widget = forms.CheckboxSelectMultiple(choices=part_of.choices)
        part_of.label = _lazy("Counts toward")
        part_of.help_text = _lazy(
            "Bigger badges of your institution this badge is part of (a course badge toward a "
            "programme badge). Learners' records state it."
        )

    def preview(self) -> dict:
        """The fields the preview shows of the EU elements: learning outcomes, workload."""
        return {"outcomes": self[_OUTCOMES], "workload": self[_HOURS]}

    def groups(self) -> dict[str, list]:
        return {key: [self[name] for name in names] for key, names in self.field_groups.items()}

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        tags = []
        for tag in raw.split(","):
            tag = " ".join(tag.split())[:60]
            if tag in EMPTY_TAGS:
                continue
            if tag and tag.lower() not in {t.lower() for t in tags}:
                tags.append(tag)
        return tags

    def clean_language(self) -> str:
        language = (
            self.cleaned_data.get("language") or self.instance.language or settings.LANGUAGE_CODE
        )
        changed = self.instance.pk and language != self.instance.language
        if changed and self.instance.editions.filter(language=language).exists():
            raise forms.ValidationError(
                _(
                    "The badge has an edition in that language. Remove that edition first, "
                    "or keep the language of issue."
                )
            )
        return language

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # nothing new uploaded: keep what there is
        image = normalise_badge_image(upload)
        base = slugify(self.cleaned_data.get("name") or "") or "badge"
        return ContentFile(image.content, name=f"{base[:60]}.{image.extension}")

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name") or ""
        slug = cleaned.get("slug") or slugify(name)[:80]
        if not slug and name:
            slug = "badge"
        taken = BadgeClass.objects.filter(issuer=self.issuer, slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if slug and (slug in RESERVED_SLUGS or taken.exists()):
            if cleaned.get("slug") in RESERVED_SLUGS:
                self.add_error(
                    "slug",
                    _("“%(slug)s” is reserved for this site's pages; choose another.")
                    % {"slug": slug},
                )
            elif cleaned.get("slug"):
                self.add_error(
                    "slug",
                    _("%(issuer)s already has a badge at “%(slug)s”.")
                    % {"issuer": self.issuer.name, "slug": slug},
                )
            else:
                n = 2
                while BadgeClass.objects.filter(
                    issuer=self.issuer, slug=f"{slug[:74]}-{n}"
                ).exists():
                    n += 1
                slug = f"{slug[:74]}-{n}"
        cleaned["slug"] = slug
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        badge = self.instance
        if badge.pk and badge.status == BadgeClass.Status.PUBLISHED and badge.is_micro_credential:
            missing = missing_elements(badge)
            if missing:
                self.add_error(
                    None,
                    _(
                        "This micro-credential is published, so every mandatory EU element must "
                        "stay filled in. Missing: %(missing)s."
                    )
                    % {"missing": ", ".join(str(m) for m in missing)},
                )

    def save(self, commit: bool = True) -> BadgeClass:
        self.instance.issuer = self.issuer
        return super().save(commit=commit)


class AwardForm(forms.Form):
    """Award one badge to one person, by e-mail address (linked to their account if any)."""

    email = forms.EmailField(
        label=_lazy("Learner's e-mail address"),
        help_text=_lazy("If the learner has an account with this address, the badge goes to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    evidence_name = forms.CharField(
        label=_lazy("Evidence title"),
        required=False,
        max_length=200,
        help_text=_lazy("For example: Final project report."),
    )
    evidence_url = forms.URLField(
        label=_lazy("Evidence URL"), required=False, assume_scheme="https", max_length=500
    )
    evidence_narrative = forms.CharField(
        label=_lazy("Evidence narrative"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("What the learner did to earn it. Shown on the public credential page."),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def evidence(self) -> list[dict]:
        data = self.cleaned_data
        name, url, narrative = (
            data["evidence_name"],
            data["evidence_url"],
            data["evidence_narrative"],
        )
        if not (name or url or narrative):
            return []
        item = {"name": name or "Evidence", "url": url, "narrative": narrative}
        return [{k: v for k, v in item.items() if v}]


class BulkAwardForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Recipients (CSV)"),
        help_text=_lazy(
            "One person per row, with a first row naming the columns. "
            "Comma- or semicolon-separated, UTF-8, up to 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class EndorsementForm(forms.Form):
    endorser = forms.ModelChoiceField(
        queryset=Issuer.objects.none(),
        label=_lazy("Endorse as"),
        empty_label=None,
        help_text=_lazy("The institution whose name and signature the endorsement carries."),
    )
    comment = forms.CharField(
        label=_lazy("Why you endorse this badge"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy(
            "Public, and signed into the credentials awarded from now on — for example "
            "what holders of this badge can do in your company."
        ),
    )

    def __init__(self, *args, endorsers=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["endorser"]
        field.queryset = Issuer.objects.filter(pk__in=[i.pk for i in endorsers]).order_by("name")
        if len(endorsers) == 1:  # nothing to choose: the one institution they act for
            field.widget = forms.HiddenInput()
            field.initial = endorsers[0].pk
        else:  # several: they choose, nothing is chosen for them
            field.empty_label = _("Choose the institution…")


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("Shown on the public credential page and in the revocation list."),
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Say why the credential is revoked."))
        return reason


class AwardFilterForm(forms.Form):
    STATUSES = [
        ("", _lazy("Any status")),
        ("valid", pgettext_lazy("credential status", "Valid")),
        ("expired", pgettext_lazy("credential status", "Expired")),
    ]
    STATUSES += [("revoked", pgettext_lazy("credential status", "Revoked"))]

    q = forms.CharField(label=_lazy("Search"), required=False, max_length=200)
    badge = forms.ModelChoiceField(
        queryset=BadgeClass.objects.none(), required=False, empty_label=_lazy("All badges")
    )
    status = forms.ChoiceField(choices=STATUSES, required=False)
    issued_from = forms.DateField(
        label=_lazy("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label=_lazy("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, issuer: Issuer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("E-mail or name")
        self.fields["badge"].queryset = BadgeClass.objects.filter(issuer=issuer).only("pk", "name")

    def filter(self, awards):
        if not self.is_valid():
            return awards
        data = self.cleaned_data
        if data["q"]:
            awards = awards.filter(
                Q(recipient_email__icontains=data["q"]) | Q(recipient_name__icontains=data["q"])
            )
        if data["badge"]:
            awards = awards.filter(badge_class=data["badge"])
        now = timezone.now()
        if data["status"] == "revoked":
            awards = awards.filter(revoked_at__isnull=False)
        elif data["status"] == "expired":
            awards = awards.filter(revoked_at__isnull=True, valid_until__lte=now)
        elif data["status"] == "valid":
            awards = awards.filter(revoked_at__isnull=True).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gt=now)
            )
        zone = timezone.get_current_timezone()
        if data["issued_from"]:
            start = datetime.combine(data["issued_from"], time.min, tzinfo=zone)
            awards = awards.filter(issued_on__gte=start)
        if data["issued_to"]:
            end = datetime.combine(data["issued_to"], time.max, tzinfo=zone)
            awards = awards.filter(issued_on__lte=end)
        return awards
