"""On the real PostgreSQL: the exclusion constraints and 20 concurrent bookings of one slot."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from mentoring import services
from mentoring.models import MentorSession
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_database_refuses_two_overlapping_active_sessions_of_one_mentor(make_user, monday):
    assert connection.vendor == "postgresql"
    mentor = make_mentor("paul@helix.example")
    a, b = make_user("a@example.org"), make_user("b@example.org")
    MentorSession.objects.create(
        mentor=mentor, learner=a, starts_at=at(monday, 10), ends_at=at(monday, 11)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorSession.objects.create(
            mentor=mentor, learner=b, starts_at=at(monday, 10, 30), ends_at=at(monday, 11, 30)
        )


def test_the_database_refuses_two_overlapping_active_sessions_of_one_learner(make_user, monday):
    paul, maya = make_mentor("paul@helix.example"), make_mentor("maya@example.com")
    lena = make_user("lena@example.org")
    MentorSession.objects.create(
        mentor=paul, learner=lena, starts_at=at(monday, 10), ends_at=at(monday, 11)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorSession.objects.create(
            mentor=maya, learner=lena, starts_at=at(monday, 10), ends_at=at(monday, 11)
        )


def test_cancelled_and_adjacent_sessions_do_not_conflict(make_user, monday):
    mentor = make_mentor("paul@helix.example")
    a, b, c = (make_user(f"{n}@example.org") for n in "abc")
    MentorSession.objects.create(
        mentor=mentor, learner=a, starts_at=at(monday, 10), ends_at=at(monday, 11),
        status=MentorSession.Status.CANCELLED,
    )  # fmt: skip
    MentorSession.objects.create(
        mentor=mentor, learner=b, starts_at=at(monday, 10), ends_at=at(monday, 11)
    )
    MentorSession.objects.create(
        mentor=mentor, learner=c, starts_at=at(monday, 11), ends_at=at(monday, 12)
    )
    assert MentorSession.objects.count() == 3


def test_twenty_concurrent_bookings_of_one_slot_make_exactly_one_session(make_user, monday):
    mentor = make_mentor("paul@helix.example")
    learners = [make_user(f"learner{n}@example.org") for n in range(20)]
    slot = at(monday, 10)
    barrier = threading.Barrier(len(learners))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(learner):
        try:
            barrier.wait(timeout=30)
            services.book(mentor, learner, slot, idempotency_key=f"k{learner.pk}", now=NOW)
            result = "booked"
        except services.BookingError as error:
            result = error.reason
        except Exception as error:  # noqa: BLE001 — reported in the assertion below
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes.count("booked") == 1, outcomes
    assert set(outcomes) == {"booked", "mentor_busy"}, outcomes
    assert MentorSession.objects.filter(mentor=mentor, starts_at=slot).count() == 1
    assert MentorSession.objects.count() == 1
    assert NOW + timedelta(days=7) > slot - timedelta(days=1)
