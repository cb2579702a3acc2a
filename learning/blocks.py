"""StreamField blocks of a lesson: text, media, downloads, reflection prompts and quizzes.

Quiz and reflection blocks are addressed by their stable StreamField block id, questions and
choices by their stable ListBlock item ids: the learner's answers, attempts and reflections
refer to those ids, so editors can reword a question without losing anyone's progress.

A video is an address (YouTube, Vimeo, …) or an uploaded file. The address is stored as it
is, so saving never needs the network; the page shows the video site's player when its oEmbed
answers (and the Content-Security-Policy allows its frames: ``EMBED_ORIGINS``), else a plain
link. An uploaded file plays in the browser's own player, with captions if given.
"""

import hashlib
import logging
import re
from html import unescape
from urllib.parse import urlsplit

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.embeds import get_embed
from wagtail.images.blocks import ImageChooserBlock

logger = logging.getLogger(__name__)

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "blockquote", "code"]


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        required=False,
        help_text=_("Describe the image for people who cannot see it; empty if it is decorative."),
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "learning/blocks/figure_block.html"


# Video players a lesson may frame. The policy's frame-src (CONTENT_SECURITY_POLICY in
# cms/settings/base.py) lists the same origins; a test keeps the two in step.
EMBED_ORIGINS = (
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
)
VIDEO_TYPES = {"webm": "video/webm", "mp4": "video/mp4", "m4v": "video/mp4", "ogv": "video/ogg"}
VIDEO_EXTENSIONS = tuple(VIDEO_TYPES)
CAPTION_EXTENSIONS = ("vtt",)
# After a failed oEmbed lookup (offline, the site down), show the link for this long before
# asking again, so that pages stay fast.
EMBED_RETRY_SECONDS = 600
_IFRAME_SRC = re.compile(r"<iframe\b[^>]*\bsrc=[\"']([^\"']+)[\"']", re.IGNORECASE)


def embed_src(url: str) -> str:
    """The address of the video site's player for a video page, or "" when it cannot be shown
    here: oEmbed is unreachable or does not know the page, or the player is not in
    ``EMBED_ORIGINS``. Only the player's address is kept from the provider's answer: the page
    renders its own <iframe>, never the provider's HTML."""
    key = "learning:embed-failed:" + hashlib.sha256(url.encode()).hexdigest()
    if cache.get(key):
        return ""
    try:
        embed = get_embed(url, max_width=960)
    except Exception:  # offline, timed out, unknown provider: the link stands in
        logger.info("No player for the video %s; showing a link.", url, exc_info=True)
        cache.set(key, True, EMBED_RETRY_SECONDS)
        return ""
    match = _IFRAME_SRC.search(embed.html or "")
    if match is None:
        return ""
    src = unescape(match.group(1))
    return src if _origin(src) in EMBED_ORIGINS else ""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _extension(document) -> str:
    return (document.file_extension or "").lower() if document is not None else ""


class VideoBlock(blocks.StructBlock):
    # Named "video" since it was an oEmbed block: lessons saved then keep their address.
    video = blocks.URLBlock(
        required=False,
        label=_("Video address"),
        help_text=_(
            "A YouTube, Vimeo or other video page. Saved as it is; learners see the "
            "player, or a link to it when the video site cannot be reached."
        ),
    )
    file = DocumentChooserBlock(
        required=False,
        label=_("Or a video file"),
        help_text=_("An uploaded video (WebM or MP4), played on this site."),
    )
    captions = DocumentChooserBlock(
        required=False,
        help_text=_("Captions for the video file: a WebVTT (.vtt) document."),
    )
    captions_language = blocks.CharBlock(
        max_length=12, required=False, default="en", help_text=_("The captions' language code.")
    )
    poster = ImageChooserBlock(required=False, help_text=_("Shown before the video plays."))
    title = blocks.CharBlock(max_length=160)
    transcript = blocks.TextBlock(
        required=False, help_text=_("A transcript or summary for people who cannot watch it.")
    )

    class Meta:
        icon = "media"
        template = "learning/blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if bool(value.get("video")) == bool(value.get("file")):
            message = _("Give either a video address or a video file.")
            errors["video"] = ValidationError(message)
        if value.get("file") and _extension(value["file"]) not in VIDEO_EXTENSIONS:
            errors["file"] = ValidationError(
                _("Choose a video file: %(extensions)s.")
                % {"extensions": ", ".join(VIDEO_EXTENSIONS)}
            )
        if value.get("captions") and _extension(value["captions"]) not in CAPTION_EXTENSIONS:
            errors["captions"] = ValidationError(_("Captions are a WebVTT file (.vtt)."))
        if value.get("captions") and not value.get("file"):
            errors["captions"] = ValidationError(
                _("Captions go with a video file; a video site shows its own.")
            )
        if errors:
            raise StructBlockValidationError(errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        url = value.get("video") or ""
        context["embed_src"] = embed_src(url) if url and not value.get("file") else ""
        context["video_host"] = urlsplit(url).netloc.removeprefix("www.") if url else ""
        context["video_type"] = VIDEO_TYPES.get(_extension(value.get("file")), "")
        return context


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("tip", _("Tip")),
            ("example", _("Example from industry")),
            ("warning", _("Watch out")),
        ],
        default="tip",
    )
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "learning/blocks/callout_block.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(max_length=160, required=False, help_text=_("Defaults to its title."))
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "learning/blocks/download_block.html"


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=300)
    guidance = blocks.TextBlock(required=False, help_text=_("What a good answer looks at."))
    required = blocks.BooleanBlock(
        required=False,
        default=False,
        help_text=_("The learner must answer before the lesson counts as done."),
    )

    class Meta:
        icon = "edit"
        template = "learning/blocks/reflection_block.html"

    def get_searchable_content(self, value):
        return []  # a prompt belongs to an enrolment-gated lesson: not for the catalogue search


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False, default=False)
    feedback = blocks.CharBlock(
        max_length=400, required=False, help_text=_("Shown when the learner picks this answer.")
    )

    class Meta:
        icon = "radio-full"


class QuestionBlock(blocks.StructBlock):
    SINGLE = "single"
    MULTIPLE = "multiple"

    text = blocks.CharBlock(max_length=400)
    kind = blocks.ChoiceBlock(
        choices=[
            (SINGLE, _("Single choice")),
            (MULTIPLE, _("Multiple choice (pick all that apply)")),
        ],
        default=SINGLE,
    )
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        required=False,
        help_text=_(
            "Shown once the learner passes (a practice quiz: also once every attempt is used)."
        ),
    )

    class Meta:
        icon = "help"

    def clean(self, value):
        value = super().clean(value)
        correct = [choice for choice in value["choices"] if choice["correct"]]
        if not correct:
            raise StructBlockValidationError(
                {"choices": ValidationError(_("Mark at least one answer as correct."))}
            )
        if value["kind"] == self.SINGLE and len(correct) > 1:
            raise StructBlockValidationError(
                {
                    "kind": ValidationError(
                        _("A single-choice question has exactly one right answer.")
                    )
                }
            )
        return value


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=160, default="Check your understanding")
    intro = blocks.TextBlock(required=False)
    pass_mark = blocks.IntegerBlock(
        min_value=0,
        max_value=100,
        default=70,
        help_text=_("Percentage of questions right to pass."),
    )
    max_attempts = blocks.IntegerBlock(
        min_value=0, max_value=20, default=3, help_text=_("0 for unlimited attempts.")
    )
    graded = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=_("Graded quizzes must be passed to complete the course; others are practice."),
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, max_num=30)

    class Meta:
        icon = "tick-inverse"
        template = "learning/blocks/quiz_block.html"

    def get_searchable_content(self, value):
        # Questions, choices, feedback and explanations stay out of the search index: otherwise
        # a search would answer yes or no about a gated quiz's right answers.
        return []


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    figure = FigureBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    download = DownloadBlock()
    reflection = ReflectionBlock()
    quiz = QuizBlock()
