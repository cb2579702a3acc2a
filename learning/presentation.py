"""What the lesson page shows for each block to one learner: quiz state, reflection state.

Correct answers and explanations are only ever put in the page once the learner has passed
the quiz (a practice quiz: also once every attempt is used); before that the browser gets the
questions and choices only. A learner locked out of a graded quiz sees which of their answers
were wrong, never the right ones: the course team may give them another attempt, and it must
not be answered from a page that showed the answers.

A quiz shows either a form to answer (empty for a new attempt, never the last attempt's
answers, so "Try again" cannot resubmit them) or, after an attempt, that attempt read-only with
its feedback and a "Try again" link that opens an empty form for the next attempt.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from credentials.models import Issuer

from . import services
from .lists import both, either
from .models import Enrolment, LessonPage, QuizAttempt, ReflectionAnswer


@dataclass
class ChoiceView:
    id: str
    text: str
    picked: bool = False
    feedback: str = ""
    correct: bool | None = None  # only set once answers are revealed


# Question text that already tells the learner to pick several answers.
SAYS_PICK_SEVERAL = re.compile(r"\b(all|each|every|any)\b[^.?!]*\bthat appl", re.IGNORECASE)


@dataclass
class QuestionView:
    id: str
    number: int
    text: str
    multiple: bool
    choices: list[ChoiceView]
    result: bool | None = None  # right or wrong in the last attempt shown
    error: str = ""
    explanation: str = ""

    @property
    def hint(self) -> str:
        """The words "(choose all that apply)" after a multiple-choice question not saying so."""
        if self.multiple and not SAYS_PICK_SEVERAL.search(self.text):
            return _("(choose all that apply)")
        return ""


@dataclass
class QuizView:
    id: str
    title: str
    intro: str
    pass_mark: int
    graded: bool
    max_attempts: int
    questions: list[QuestionView]
    allowance: services.Allowance | None = None
    token: str = ""
    number: int = 1  # the attempt the form submits
    can_submit: bool = False  # the learner may answer now: the form is shown
    can_retake: bool = False  # a failed attempt is shown; "Try again" opens an empty form
    error: str = ""
    contacts: list[Issuer] = field(default_factory=list)

    @property
    def attempts(self) -> list[QuizAttempt]:
        return self.allowance.attempts if self.allowance else []

    @property
    def last(self) -> QuizAttempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def passed(self) -> bool:
        return bool(self.allowance and self.allowance.passed)

    @property
    def best_score(self) -> int | None:
        return self.allowance.best_score if self.allowance else None

    @property
    def allowed(self) -> int | None:
        return self.allowance.allowed if self.allowance else (self.max_attempts or None)

    @property
    def attempts_left(self) -> int | None:
        return self.allowance.left if self.allowance else self.allowed

    @property
    def out_of_attempts(self) -> bool:
        return bool(self.allowance and self.allowance.locked_out)

    @property
    def requested_at(self):
        return self.allowance.requested_at if self.allowance else None

    @property
    def contact_links(self) -> SafeString:
        """ "<a>A</a>, <a>B</a> or <a>C</a>": a mail link to each contact, with a subject."""
        subject = quote(_("Another attempt at “%(title)s”") % {"title": self.title})
        links = [
            format_html('<a href="mailto:{}?subject={}">{}</a>', issuer.email, subject, issuer.name)
            for issuer in self.contacts
        ]
        return mark_safe(either(links))  # noqa: S308 - each link escaped by format_html


@dataclass
class ReflectionView:
    id: str
    prompt: str
    guidance: str
    required: bool
    answer: ReflectionAnswer | None = None
    text: str = ""
    error: str = ""
    can_submit: bool = False
    team: list[Issuer] = field(default_factory=list)  # "your course team": these institutions

    @property
    def team_names(self) -> str:
        """ "A", "A and B", "A, B and C"."""
        return both(issuer.name for issuer in self.team)


@dataclass
class BlockView:
    block: object
    quiz: QuizView | None = None
    reflection: ReflectionView | None = None


def _quiz_view(
    block,
    allowance: services.Allowance | None,
    can_submit: bool,
    submitted: dict | None,
    error: str,
    errors: dict,
    retake: bool = False,
) -> QuizView:
    value = block.value
    view = QuizView(
        id=block.id,
        title=value["title"],
        intro=value["intro"] or "",
        pass_mark=value["pass_mark"],
        graded=bool(value["graded"]),
        max_attempts=value["max_attempts"] or 0,
        questions=[],
        allowance=allowance,
        error=error,
    )
    last = view.last
    finished = view.passed or view.out_of_attempts
    reveal = view.passed or (view.out_of_attempts and not view.graded)
    open_to_answer = can_submit and not finished
    # A new attempt starts from an empty form: after a failed attempt the page shows that
    # attempt and its feedback, and only "Try again" (or answers sent back with an error in
    # them) opens the form.
    view.can_submit = open_to_answer and (last is None or retake or submitted is not None)
    view.can_retake = open_to_answer and not view.can_submit
    view.number = allowance.next_number if allowance else 1
    view.token = services.new_form_token() if view.can_submit else ""
    if submitted is not None:
        chosen, review = submitted, None
    elif view.can_submit:
        chosen, review = {}, None
    else:
        review = last
        chosen = last.answers if last else {}
    for number, (question_id, question) in enumerate(services.quiz_questions(value), start=1):
        picked = set(chosen.get(question_id, []))
        choices = []
        for choice_id, choice in services.question_choices(question):
            shown = choice_id in picked and review is not None
            choices.append(
                ChoiceView(
                    id=choice_id,
                    text=choice["text"],
                    picked=choice_id in picked,
                    feedback=(choice["feedback"] or "") if shown else "",
                    correct=bool(choice["correct"]) if reveal else None,
                )
            )
        view.questions.append(
            QuestionView(
                id=question_id,
                number=number,
                text=question["text"],
                multiple=question["kind"] == "multiple",
                choices=choices,
                result=review.results.get(question_id) if review is not None else None,
                error=errors.get(question_id, ""),
                explanation=(question["explanation"] or "") if reveal else "",
            )
        )
    return view


def lesson_blocks(
    lesson: LessonPage,
    enrolment: Enrolment | None,
    *,
    submitted_quiz: str | None = None,
    submitted_answers: dict | None = None,
    quiz_error: str = "",
    quiz_errors: dict | None = None,
    retake_quiz: str | None = None,
    submitted_reflection: str | None = None,
    reflection_text: str = "",
    reflection_error: str = "",
) -> list[BlockView]:
    """Each body block with what this learner sees of it (in a few queries whatever the body)."""
    can_submit = enrolment is not None and enrolment.opens_lessons
    allowances: dict = {}
    answers: dict[str, ReflectionAnswer] = {}
    contacts: list[Issuer] = []
    team: list[Issuer] | None = None
    if enrolment is not None:
        if lesson.quiz_blocks():
            allowances = services.allowances_for(enrolment, [lesson])
        answers = {
            answer.block_id: answer
            for answer in ReflectionAnswer.objects.filter(enrolment=enrolment, lesson=lesson)
        }
    views = []
    for block in lesson.body:
        if block.block_type == "quiz":
            mine = block.id == submitted_quiz
            quiz = _quiz_view(
                block,
                allowances.get((lesson.pk, block.id)),
                can_submit,
                submitted_answers if mine else None,
                quiz_error if mine else "",
                (quiz_errors or {}) if mine else {},
                retake=block.id == retake_quiz,
            )
            if quiz.out_of_attempts:
                if not contacts:
                    contacts = services.course_contacts(enrolment.course)
                quiz.contacts = contacts
            views.append(BlockView(block, quiz=quiz))
        elif block.block_type == "reflection":
            answer = answers.get(block.id)
            mine = block.id == submitted_reflection
            if team is None:
                course = enrolment.course if enrolment is not None else services.course_of(lesson)
                team = list(services.course_team(course))
            views.append(
                BlockView(
                    block,
                    reflection=ReflectionView(
                        id=block.id,
                        prompt=block.value["prompt"],
                        guidance=block.value["guidance"] or "",
                        required=bool(block.value["required"]),
                        answer=answer,
                        text=reflection_text if mine else (answer.text if answer else ""),
                        error=reflection_error if mine else "",
                        can_submit=can_submit,
                        team=team,
                    ),
                )
            )
        else:
            views.append(BlockView(block))
    return views
