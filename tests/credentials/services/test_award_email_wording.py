"""The award e-mail names the badge as a badge, and the course only when one earned it."""

import pytest

from credentials import services
from credentials.models import BadgeClass
from credentials.services import emails
from tests.credentials.factories import make_badge

pytestmark = pytest.mark.django_db

COURSE_EVIDENCE = services.Evidence(
    name="Completed the course “Design Thinking Basics”",
    narrative="Completed on 2025-03-01: 4 of 4 lessons done.",
)


@pytest.fixture
def course_type_badge(uni):
    """A badge whose Open Badges achievement type is "Course" (what the old e-mail printed)."""
    return make_badge(
        uni, "sprinter", name="Design Sprinter", achievement_type=BadgeClass.AchievementType.COURSE
    )


def bodies(award):
    message = emails.build_award_email(award)
    return message.body, message.alternatives[0][0]


def test_the_e_mail_calls_a_course_type_badge_a_badge_and_names_it(course_type_badge, learner):
    award = services.award(course_type_badge, learner)
    text, html = bodies(award)
    assert "has awarded you the badge “Design Sprinter” on" in text
    assert "has awarded you the badge <strong>“Design Sprinter”</strong> on" in html
    for body in (text, html):
        assert "the course" not in body


def test_an_award_from_a_course_names_the_course_too(course_type_badge, learner):
    award = services.award(course_type_badge, learner, [COURSE_EVIDENCE])
    text, html = bodies(award)
    assert (
        "has awarded you the badge “Design Sprinter” for completing the course "
        "“Design Thinking Basics” on"
    ) in text
    assert "for completing the course “Design Thinking Basics”" in html


def test_other_evidence_does_not_make_a_course(course_type_badge, learner):
    evidence = services.Evidence(name="Pitch deck", narrative="Pitched to the jury.")
    text, _html = bodies(services.award(course_type_badge, learner, [evidence]))
    assert "course" not in text.lower()


@pytest.mark.parametrize(
    "changes,kind",
    [
        ({"is_micro_credential": True}, "micro-credential"),
        ({"achievement_type": BadgeClass.AchievementType.CERTIFICATE}, "certificate"),
        ({"achievement_type": BadgeClass.AchievementType.COMPETENCY}, "badge"),
    ],
)
def test_the_credential_kind_is_said_in_plain_words(uni, changes, kind):
    assert emails.credential_kind(make_badge(uni, "kinded", **changes)) == kind
