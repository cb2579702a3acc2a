"""StreamField blocks of a lesson: text, media, downloads, reflection prompts and quizzes.

Quiz and reflection blocks are addressed by their stable StreamField block id, questions and
choices by their stable ListBlock item ids: the learner's answers, attempts and reflections
refer to those ids, so editors can reword a question without losing anyone's progress.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "blockquote", "code"]


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        required=False,
        help_text="Describe the image for people who cannot see it; empty if it is decorative.",
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "learning/blocks/figure_block.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text="A YouTube, Vimeo or other oEmbed URL.")
    title = blocks.CharBlock(max_length=160)
    transcript = blocks.TextBlock(
        required=False, help_text="A transcript or summary for people who cannot watch it."
    )

    class Meta:
        icon = "media"
        template = "learning/blocks/video_block.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", "Tip"), ("example", "Example from industry"), ("warning", "Watch out")],
        default="tip",
    )
    title = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "learning/blocks/callout_block.html"


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(max_length=160, required=False, help_text="Defaults to its title.")
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "doc-full"
        template = "learning/blocks/download_block.html"


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(max_length=300)
    guidance = blocks.TextBlock(required=False, help_text="What a good answer looks at.")
    required = blocks.BooleanBlock(
        required=False,
        default=False,
        help_text="The learner must answer before the lesson counts as done.",
    )

    class Meta:
        icon = "edit"
        template = "learning/blocks/reflection_block.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False, default=False)
    feedback = blocks.CharBlock(
        max_length=400, required=False, help_text="Shown when the learner picks this answer."
    )

    class Meta:
        icon = "radio-full"


class QuestionBlock(blocks.StructBlock):
    SINGLE = "single"
    MULTIPLE = "multiple"

    text = blocks.CharBlock(max_length=400)
    kind = blocks.ChoiceBlock(
        choices=[(SINGLE, "Single choice"), (MULTIPLE, "Multiple choice (pick all that apply)")],
        default=SINGLE,
    )
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, max_num=8)
    explanation = blocks.TextBlock(
        required=False, help_text="Shown after the learner passes or runs out of attempts."
    )

    class Meta:
        icon = "help"

    def clean(self, value):
        value = super().clean(value)
        correct = [choice for choice in value["choices"] if choice["correct"]]
        if not correct:
            raise StructBlockValidationError(
                {"choices": ValidationError("Mark at least one answer as correct.")}
            )
        if value["kind"] == self.SINGLE and len(correct) > 1:
            raise StructBlockValidationError(
                {"kind": ValidationError("A single-choice question has exactly one right answer.")}
            )
        return value


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=160, default="Check your understanding")
    intro = blocks.TextBlock(required=False)
    pass_mark = blocks.IntegerBlock(
        min_value=0, max_value=100, default=70, help_text="Percentage of questions right to pass."
    )
    max_attempts = blocks.IntegerBlock(
        min_value=0, max_value=20, default=3, help_text="0 for unlimited attempts."
    )
    graded = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text="Graded quizzes must be passed to complete the course; others are practice.",
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, max_num=30)

    class Meta:
        icon = "tick-inverse"
        template = "learning/blocks/quiz_block.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    figure = FigureBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    download = DownloadBlock()
    reflection = ReflectionBlock()
    quiz = QuizBlock()
