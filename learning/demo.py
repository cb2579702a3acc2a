"""Demo courses for ``manage.py seed_demo``. Idempotent: safe to run on every ``make run``.

Creates the course catalogue, three co-created courses with their lessons and quizzes, the
badge classes they award, and some learners at different stages (the demo learner
``learner@example.com`` is halfway through the first course and completed the third, whose
badge the course awards through the real path). One lesson shows each kind of media: a video
file with captions (bundled in ``demo_content/files/``, a few KB), a picture and a worksheet
to download (both drawn here, no network). Pages that exist are never overwritten, so what
editors change survives a re-seed; a lesson added to the demo later is added. Learning imports
nothing from the site, so the caller passes the groups (roles) for the learners this creates.
"""

import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page
from wagtail.search.index import insert_or_update_object

from credentials.models import ApprovalRequest, BadgeClass, Competency, Issuer
from credentials.services import approvals

from . import services
from .demo_content import BADGES, COURSES
from .demo_content.blocks import Media
from .models import CourseCatalogPage, CoursePage, Enrolment, LessonPage, ReflectionAnswer

CATALOGUE = {
    "slug": "courses",
    "title": "Courses",
    "intro": "Short courses on entrepreneurial and transversal skills, co-created by "
    "universities and companies. Each one ends with a badge that any employer can verify.",
}
EDITORS_GROUP = "Editors"
DEMO_LEARNER = "learner@example.com"
FILES = Path(__file__).parent / "demo_content" / "files"
REFLECTION = (
    "Our partner's service engineers wait for spare parts that are ordered by phone, one at a "
    "time; a robot can stand still for days. A shared parts forecast could cut that wait."
)

# Other learners, to give the course reports something to show: (e-mail, name, course index,
# lessons done, quiz answers right per attempt as fractions: None = no attempt).
COHORT = [
    ("amira.haddad@learners.example", "Amira Haddad", 0, 4, [0.5, 1.0]),
    ("jonas.berg@learners.example", "Jonas Berg", 0, 3, [0.5]),
    ("chiara.conti@learners.example", "Chiara Conti", 0, 2, None),
    ("tomasz.nowak@learners.example", "Tomasz Nowak", 0, 1, None),
    ("ines.duarte@learners.example", "Inês Duarte", 0, 4, [0.75]),
    ("mikko.laine@learners.example", "Mikko Laine", 1, 3, [1.0]),
    ("sara.vos@learners.example", "Sara Vos", 1, 2, None),
    ("lucas.moreau@learners.example", "Lucas Moreau", 2, 3, [0.33, 0.67, 1.0]),
    ("elena.petrova@learners.example", "Elena Petrova", 2, 1, None),
]


def seed(home: Page, groups: tuple[str, ...] = ()) -> dict:
    """Create or refresh the demo courses under ``home``; returns what it made.

    ``groups`` are given to the demo learners this creates."""
    with transaction.atomic():
        badges = seed_badges()
        catalogue = seed_catalogue(home)
        media = demo_media()
        courses = [seed_course(catalogue, data, badges, media) for data in COURSES]
        index_lessons(courses)
        seed_progress(courses, groups)
    return {"catalogue": catalogue, "courses": courses, "badges": list(badges.values())}


def seed_badges() -> dict[tuple[str, str], BadgeClass]:
    badges = {}
    issuers = {issuer.slug: issuer for issuer in Issuer.objects.all()}
    for data in BADGES:
        issuer = issuers[data["issuer"]]
        fields = {k: v for k, v in data.items() if k not in {"issuer", "slug", "alignments"}} | {
            "status": BadgeClass.Status.PUBLISHED,
            "achievement_type": "Course",
        }
        badge, _ = BadgeClass.objects.update_or_create(
            issuer=issuer, slug=data["slug"], defaults=fields
        )
        badge.alignments.set(_competences(data["alignments"]))
        badges[(issuer.slug, badge.slug)] = badge
    return badges


def _competences(codes) -> list[Competency]:
    return [
        Competency.objects.get(framework__code=framework, code=code) for framework, code in codes
    ]


def seed_catalogue(home: Page) -> CourseCatalogPage:
    """The catalogue page under the home page, shown first in the menu."""
    catalogue = CourseCatalogPage.objects.first()
    if catalogue is None:
        catalogue = CourseCatalogPage(show_in_menus=True, **CATALOGUE)
        home.add_child(instance=catalogue)
        catalogue.save_revision().publish()
        first = home.get_first_child()
        if first is not None and first.pk != catalogue.pk:
            catalogue.move(first, pos="left")
            catalogue.refresh_from_db()
    grant_course_editing(catalogue)
    return catalogue


def grant_course_editing(catalogue: Page) -> None:
    """Editors add, edit and publish courses and lessons in the catalogue without moderation."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(
            group=group, page=catalogue, permission=permission
        )


def _cover(slug: str, colours) -> object:
    """An abstract cover image drawn with Pillow (no files shipped, no network)."""
    Image = get_image_model()
    title = f"Course cover: {slug}"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    width, height = 1120, 640
    start, end = colours
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for x in range(width):
        t = x / (width - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))
        draw.line([(x, 0), (x, height)], fill=colour)
    for index, (cx, cy, r) in enumerate([(880, 140, 220), (220, 520, 160), (620, 380, 90)]):
        shade = 255 - index * 20
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(shade, shade, shade), width=6)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"cover-{slug}.png"), width=width, height=height
    )


def seed_course(catalogue: CourseCatalogPage, data: dict, badges, media=None) -> CoursePage:
    course = CoursePage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
    if course is None:
        course = CoursePage(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            learning_outcomes=[("outcome", text) for text in data["outcomes"]],
            eqf_level=data["eqf_level"],
            workload_hours=data["workload_hours"],
            ects_credits=Decimal(data["ects_credits"]) if data["ects_credits"] else None,
            language=data["language"],
            course_format=data["course_format"],
            badge_class=badges[data["badge"]],
            cover_image=_cover(data["slug"], data["cover"]),
        )
        course.competences = _competences(data["competences"])
        course.institutions = list(Issuer.objects.filter(slug__in=data["institutions"]))
        catalogue.add_child(instance=course)
        course.save_revision().publish()
        course = CoursePage.objects.get(pk=course.pk)
    if course.badge_class_id:  # the demo's courses award their badges, as approved
        approvals.preapprove(
            ApprovalRequest.Kind.COURSE_BADGE,
            course.badge_class.issuer,
            course.pk,
            label=f"Course “{course.title}”",
            badge=course.badge_class,
        )
    for lesson_data in data["lessons"]:
        if LessonPage.objects.child_of(course).filter(slug=lesson_data["slug"]).exists():
            continue
        lesson = LessonPage(**(lesson_data | {"body": _with_media(lesson_data["body"], media)}))
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course


def seed_progress(courses: list[CoursePage], groups: tuple[str, ...] = ()) -> None:
    """The demo learner halfway through the first course and done with the third (its badge
    is awarded when the seed commits), and a small cohort around them."""
    User = get_user_model()
    learner = User.objects.filter(email=DEMO_LEARNER).first()
    if learner is not None:
        _progress(learner, courses[2], lessons_done=len(COURSES[2]["lessons"]), attempts=[1.0])
        _progress(learner, courses[0], lessons_done=2, attempts=None)
        lesson = services.course_lessons(courses[0])[0]
        block = LessonPage.objects.get(pk=lesson.pk).reflection_blocks()[0]
        if not ReflectionAnswer.objects.filter(enrolment__user=learner, block_id=block.id).exists():
            services.save_reflection(
                learner,
                LessonPage.objects.get(pk=lesson.pk),
                block.id,
                "At my student job in a bike shop, repairs wait two or three days because "
                "spare parts are ordered one by one by phone. Customers often cancel.",
            )
    for email, name, index, done, attempts in COHORT:
        user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(*(Group.objects.get_or_create(name=group)[0] for group in groups))
        _progress(user, courses[index], lessons_done=done, attempts=attempts)


def _progress(user, course: CoursePage, *, lessons_done: int, attempts) -> Enrolment:
    enrolment = services.enrol(user, course)
    lessons = [LessonPage.objects.get(pk=lesson.pk) for lesson in services.course_lessons(course)]
    quiz_lesson = next((lesson for lesson in lessons if lesson.graded_quizzes), None)
    for number, fraction in enumerate(attempts or [], start=1):
        if quiz_lesson is None:
            break
        quiz = services.find_block(quiz_lesson, quiz_lesson.graded_quizzes[0], "quiz")
        answers = _answers(quiz.value, fraction)
        token = f"demo-{user.pk}-{quiz.id[:8]}-{number}".ljust(16, "0")
        try:
            services.submit_quiz(user, quiz_lesson, quiz.id, answers, token)
        except services.LearningError:
            break  # already passed or out of attempts on an earlier run
    for lesson in lessons[:lessons_done]:
        for block_id in lesson.required_reflections:
            services.save_reflection(user, lesson, block_id, REFLECTION)
        try:
            services.mark_lesson_done(user, lesson)
        except services.LearningError:
            break  # a required reflection or quiz stands in the way: stop here, like a person
    return enrolment


def _answers(quiz_value, fraction: float) -> dict[str, list[str]]:
    """Answers that get about ``fraction`` of the questions right."""
    questions = services.quiz_questions(quiz_value)
    right = round(fraction * len(questions))
    answers = {}
    for index, (question_id, question) in enumerate(questions):
        choices = services.question_choices(question)
        correct = [cid for cid, choice in choices if choice["correct"]]
        wrong = [cid for cid, choice in choices if not choice["correct"]]
        answers[question_id] = correct if index < right or not wrong else [wrong[0]]
    return answers


# --------------------------------------------------------------------------- media


def _with_media(body: list, media: dict | None) -> list:
    """The lesson body with each ``Media`` marker replaced by the picture or document made for
    it (a block whose media is missing is left out)."""
    result = []
    for block_type, value in body:
        if isinstance(value, dict) and any(isinstance(v, Media) for v in value.values()):
            if media is None:
                continue
            value = {k: media.get(v.key) if isinstance(v, Media) else v for k, v in value.items()}
        result.append((block_type, value))
    return result


def demo_media() -> dict:
    """The pictures and documents the demo lessons show, made once (found by title after)."""
    return {
        "scoring-video": _document(
            "Demo video: scoring an opportunity",
            "scoring-opportunities.webm",
            (FILES / "scoring-opportunities.webm").read_bytes(),
        ),
        "scoring-captions": _document(
            "Demo captions: scoring an opportunity",
            "scoring-opportunities.vtt",
            (FILES / "scoring-opportunities.vtt").read_bytes(),
        ),
        "canvas-image": _canvas_image(),
        "canvas-worksheet": _document(
            "Problem statement canvas (worksheet)", "problem-statement-canvas.pdf", _worksheet()
        ),
    }


def _document(title: str, name: str, data: bytes):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    return Document.objects.create(title=title, file=ContentFile(data, name=name))


CANVAS_BOXES = (
    ("Who struggles", "Service engineers at Helix"),
    ("With what", "Waiting for spare parts"),
    ("What it costs", "Robots idle for days"),
    ("Evidence", "A daily spreadsheet workaround"),
)


def _canvas_image():
    """A problem statement canvas, drawn with Pillow: four labelled boxes."""
    Image = get_image_model()
    title = "Problem statement canvas"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    width, height = 960, 540
    picture = PILImage.new("RGB", (width, height), (248, 250, 252))
    draw = ImageDraw.Draw(picture)
    heading, text = ImageFont.load_default(size=30), ImageFont.load_default(size=24)
    for n, (label, example) in enumerate(CANVAS_BOXES):
        x, y = 30 + (n % 2) * 460, 30 + (n // 2) * 250
        draw.rounded_rectangle(
            [x, y, x + 440, y + 230], radius=16, outline=(29, 78, 216), width=4, fill="white"
        )
        draw.text((x + 24, y + 24), label, fill=(29, 78, 216), font=heading)
        draw.text((x + 24, y + 90), example, fill=(30, 41, 59), font=text)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(
        title=title,
        file=ImageFile(buffer, name="problem-statement-canvas.png"),
        width=width,
        height=height,
    )


def _worksheet() -> bytes:
    """A one-page PDF worksheet with the canvas's four questions (reportlab, text not image)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title="Problem statement canvas", author="Co-Create Academy"
    )
    story = [
        Paragraph("Problem statement canvas", styles["Title"]),
        Paragraph(
            "Fill it in with your industry partner after a discovery interview.",
            styles["Normal"],
        ),
    ]
    for label, example in CANVAS_BOXES:
        story += [
            Spacer(1, 18),
            Paragraph(label, styles["Heading2"]),
            Paragraph(f"For example: {example}.", styles["Italic"]),
            Spacer(1, 90),
        ]
    document.build(story)
    return buffer.getvalue()


def index_lessons(courses: list[CoursePage]) -> None:
    """Put the demo lessons' words in the search index, so that the catalogue's search finds
    them in a database seeded before lessons were searchable. Cheap: a dozen lessons."""
    for course in courses:
        for lesson in LessonPage.objects.child_of(course).live():
            insert_or_update_object(lesson)


def seed_translations() -> list:
    """Publish the demo's French edition of one course and its first lesson, through
    wagtail-localize's PO export and import as a translator would. Idempotent."""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation, TranslationSource

    from .demo_content.in_french import FRENCH, PAGES

    french = Locale.objects.filter(language_code="fr").first()
    english = Locale.objects.filter(language_code=settings.LANGUAGE_CODE).first()
    if french is None or english is None:
        return []
    models = {"coursecatalogpage": CourseCatalogPage, "coursepage": CoursePage}
    models["lessonpage"] = LessonPage
    made = []
    for model_name, slug in PAGES:
        page = models[model_name].objects.filter(slug=slug, locale=english).first()
        if page is None:
            continue
        source, _ = TranslationSource.get_or_create_from_instance(page)
        translation, _ = Translation.objects.get_or_create(source=source, target_locale=french)
        po = translation.export_po()
        for entry in po:
            # A slug keeps its English path: /fr/… is the English address under /fr/.
            entry.msgstr = FRENCH.get(entry.msgid, entry.msgid if entry.msgctxt == "slug" else "")
        translation.import_po(po)
        translation.save_target(publish=True)
        made.append(page.get_translation(french))
    return made
