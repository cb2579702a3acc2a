"""What the lesson page shows for each block to one learner: quiz state, reflection state.

Correct answers and explanations are only ever put in the page once the learner has passed
the quiz or used every attempt; before that the browser gets the questions and choices only.
"""

from dataclasses import dataclass, field

from . import services
from .models import Enrolment, LessonPage, QuizAttempt, ReflectionAnswer


@dataclass
class ChoiceView:
    id: str
    text: str
    picked: bool = False
    feedback: str = ""
    correct: bool | None = None  # only set once answers are revealed


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


@dataclass
class QuizView:
    id: str
    title: str
    intro: str
    pass_mark: int
    graded: bool
    max_attempts: int
    questions: list[QuestionView]
    attempts: list[QuizAttempt] = field(default_factory=list)
    token: str = ""
    can_submit: bool = False
    error: str = ""

    @property
    def last(self) -> QuizAttempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def passed(self) -> bool:
        return any(attempt.passed for attempt in self.attempts)

    @property
    def best_score(self) -> int | None:
        return max((a.score for a in self.attempts), default=None)

    @property
    def attempts_left(self) -> int | None:
        return services.attempts_left(self.max_attempts, len(self.attempts))

    @property
    def out_of_attempts(self) -> bool:
        return self.attempts_left == 0 and not self.passed


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


@dataclass
class BlockView:
    block: object
    quiz: QuizView | None = None
    reflection: ReflectionView | None = None


def _quiz_view(
    block,
    attempts: list[QuizAttempt],
    can_submit: bool,
    submitted: dict | None,
    error: str,
    errors: dict,
) -> QuizView:
    value = block.value
    last = attempts[-1] if attempts else None
    view = QuizView(
        id=block.id,
        title=value["title"],
        intro=value["intro"] or "",
        pass_mark=value["pass_mark"],
        graded=bool(value["graded"]),
        max_attempts=value["max_attempts"] or 0,
        questions=[],
        attempts=attempts,
        error=error,
    )
    reveal = view.passed or view.out_of_attempts
    view.can_submit = can_submit and not reveal
    view.token = services.new_form_token() if view.can_submit else ""
    chosen = submitted if submitted is not None else (last.answers if last else {})
    for number, (question_id, question) in enumerate(services.quiz_questions(value), start=1):
        picked = set(chosen.get(question_id, []))
        choices = []
        for choice_id, choice in services.question_choices(question):
            shown = choice_id in picked and last is not None and submitted is None
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
                result=(last.results.get(question_id) if last and submitted is None else None),
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
    submitted_reflection: str | None = None,
    reflection_text: str = "",
    reflection_error: str = "",
) -> list[BlockView]:
    """Each body block with what this learner sees of it (in two queries whatever the body)."""
    can_submit = enrolment is not None and enrolment.opens_lessons
    attempts: dict[str, list[QuizAttempt]] = {}
    answers: dict[str, ReflectionAnswer] = {}
    if enrolment is not None:
        for attempt in QuizAttempt.objects.filter(enrolment=enrolment, lesson=lesson).order_by(
            "number"
        ):
            attempts.setdefault(attempt.quiz_id, []).append(attempt)
        answers = {
            answer.block_id: answer
            for answer in ReflectionAnswer.objects.filter(enrolment=enrolment, lesson=lesson)
        }
    views = []
    for block in lesson.body:
        if block.block_type == "quiz":
            mine = block.id == submitted_quiz
            views.append(
                BlockView(
                    block,
                    quiz=_quiz_view(
                        block,
                        attempts.get(block.id, []),
                        can_submit,
                        submitted_answers if mine else None,
                        quiz_error if mine else "",
                        (quiz_errors or {}) if mine else {},
                    ),
                )
            )
        elif block.block_type == "reflection":
            answer = answers.get(block.id)
            mine = block.id == submitted_reflection
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
                    ),
                )
            )
        else:
            views.append(BlockView(block))
    return views
