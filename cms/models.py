"""The site itself: the person who signs in, the home page and standard pages."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.search import index

from lib.translations import InReadersLanguage, source_of
from mentoring.timezones import validate_time_zone  # cms migrations refer to it from here


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not (extra["is_staff"] and extra["is_superuser"]):
            raise ValueError("A superuser needs is_staff and is_superuser.")
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person: signs in with an e-mail address, holds any number of roles (groups)."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        max_length=150,
        blank=True,
        verbose_name=_("display name"),
        help_text=_("How your name appears to mentors and on badges."),
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        verbose_name=_("time zone"),
        help_text=_("Your IANA time zone, for example Europe/Berlin. Session times use it."),
    )
    # Blank: follow the browser (Accept-Language), else the site's default. Sign-up stores the
    # language the person signed up in; e-mails use this field (lib/i18n.language_of).
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        choices=[("", _("Same as my browser"))] + list(settings.LANGUAGES),
        help_text=_("Pages and e-mails are shown in this language."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name()

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        full = " ".join(part for part in (self.first_name, self.last_name) if part)
        return self.display_name or full or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.first_name or self.email.split("@")[0]


class AudienceBlock(blocks.StructBlock):
    audience = blocks.ChoiceBlock(
        choices=[
            ("learner", _("Learners")),
            ("mentor", _("Mentors")),
            ("institution", _("Institutions")),
            ("employer", _("Employers")),
            ("partner", _("Industry partners")),
        ]
    )
    title = blocks.CharBlock(max_length=80)
    text = blocks.TextBlock()
    link_text = blocks.CharBlock(max_length=60)
    link_page = blocks.PageChooserBlock(required=False)
    link_url = blocks.CharBlock(
        required=False, help_text=_("A path or URL, used when no page is chosen.")
    )

    class Meta:
        icon = "group"
        template = "cms/blocks/audience_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        labels = dict(self.child_blocks["audience"].field.choices)
        context["audience_label"] = labels.get(value["audience"], value["audience"])
        return context


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "cms/blocks/callout_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="cms/blocks/heading_block.html"
    )
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul", "h3"])
    image = ImageChooserBlock(template="cms/blocks/image_block.html")
    callout = CalloutBlock()


class HomePage(InReadersLanguage, Page):
    """The front door: what the platform is and a way in for each kind of visitor."""

    hero_title = models.CharField(max_length=120)
    hero_intro = models.TextField()
    audiences = StreamField([("audience", AudienceBlock())], blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_intro"),
        FieldPanel("audiences"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def route(self, request, path_components):
        """Route in this language's tree; a page nobody translated yet (no copy here) is found
        in the source tree and shown in its own words, marked as such (lib/translations.py)."""
        try:
            return super().route(request, path_components)
        except Http404:
            source = source_of(self)
            if source.pk == self.pk:
                raise
            return source.specific.route(request, path_components)


class StandardPage(InReadersLanguage, Page):
    """An ordinary content page: about, privacy, how verification works…"""

    intro = models.TextField(blank=True)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage", "partnerships.CaseStudyPage"]
