"""Pages: the finder, booking through the form, the desk, the week editor, and who sees what."""

from datetime import timedelta

import pytest
from django.core import mail

from cms import roles
from mentoring import matching, mentor_profiles, services
from mentoring.models import DateOverride, MentorSession, WeeklyAvailability
from tests.mentoring.conftest import NOW, at, make_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, mentee, clock):
    client.force_login(mentee)
    return client


def post_booking(client, mentor, start, **extra):
    data = {"start": start, "goal": "Plan a pilot", "agenda": "", "idempotency_key": "key-1"}
    return client.post(mentor.get_absolute_url(), {**data, **extra})


# --- finder ---------------------------------------------------------------------------------


def test_the_finder_lists_mentors_with_their_next_free_time(client, mentor, clock):
    html = client.get("/mentors/").content.decode()
    assert mentor.name in html and "Next free" in html


@pytest.mark.parametrize(
    ("query", "shown"),
    [("sector=academia", {"anouk"}), ("sector=industry", {"paul"}), ("language=nl", {"anouk"}),
     ("", {"paul", "anouk"})],
)  # fmt: skip
def test_the_finder_filters_by_sector_and_language(client, mentor, query, shown, clock):
    anouk = make_mentor("anouk@uni.example", sector="academia", languages=",en,nl,")
    html = client.get(f"/mentors/?{query}").content.decode()
    assert {"paul": mentor.name in html, "anouk": anouk.name in html} == {
        name: name in shown for name in ("paul", "anouk")
    }


def test_the_finder_filters_by_competence(client, mentor, clock):
    from credentials.models import Competency

    creativity = Competency.objects.get(framework__code="entrecomp", code="1.2")
    mentor.competences.add(creativity)
    make_mentor("other@example.org")
    html = client.get(f"/mentors/?competence={creativity.pk}").content.decode()
    assert "1 mentor match" in html


def test_suggestions_say_why_using_the_learners_goals(logged_in, mentee, mentor):
    from credentials.models import Competency

    creativity = Competency.objects.get(framework__code="entrecomp", code="1.2")
    mentor.competences.add(creativity)
    matching.save_goals(mentee, competences=[creativity], goals="")
    html = logged_in.get("/mentors/").content.decode()
    assert "Suggested for you" in html
    assert "Matches your goals: Creativity" in html
    assert "free times in the next 14 days" in html


def test_a_mentor_with_no_room_is_not_suggested(mentee, omar, monday):
    full = make_mentor("full@example.org", capacity=1)
    services.book(full, omar, at(monday, 10), now=NOW)
    (suggestion,) = matching.suggest(mentee, [full], now=NOW)
    assert suggestion.score == 0 and "no room" in " ".join(suggestion.reasons).lower()


def test_the_finder_runs_a_fixed_number_of_queries(
    logged_in, mentor, django_assert_max_num_queries
):
    for n in range(6):
        make_mentor(f"m{n}@example.org")
    with django_assert_max_num_queries(25):
        assert logged_in.get("/mentors/").status_code == 200


# --- the mentor page and booking --------------------------------------------------------------


def test_the_mentor_page_shows_free_times_in_the_learners_zone(logged_in, mentor, monday):
    html = logged_in.get(f"{mentor.get_absolute_url()}?from={monday}").content.decode()
    assert "Times in America/New_York (your time zone)" in html
    assert "is in Europe/Berlin" in html
    # 10:00 in Berlin is 05:00 in New York on 9 March 2026 (US already on summer time).
    assert at(monday, 10).isoformat() in html and ">05:00<small>10:00 theirs" in html


def test_the_mentor_page_runs_a_fixed_number_of_queries(
    logged_in, mentor, monday, django_assert_max_num_queries
):
    for hour in (9, 11, 13):
        MentorSession.objects.create(
            mentor=mentor, learner=make_mentor(f"x{hour}@e.org").user,
            starts_at=at(monday, hour), ends_at=at(monday, hour + 1),
        )  # fmt: skip
    with django_assert_max_num_queries(20):
        assert logged_in.get(f"{mentor.get_absolute_url()}?from={monday}").status_code == 200


def test_booking_through_the_page_books_and_sends_the_invitation(
    logged_in, mentor, monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(logged_in, mentor, at(monday, 10).isoformat())
    session = MentorSession.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert len(mail.outbox) == 2


def test_a_double_submit_books_once(logged_in, mentor, monday):
    post_booking(logged_in, mentor, at(monday, 10).isoformat())
    second = post_booking(logged_in, mentor, at(monday, 10).isoformat())
    assert second.status_code == 302
    assert MentorSession.objects.count() == 1


def test_a_stale_form_gets_a_clear_message_and_the_current_free_times(
    logged_in, mentor, omar, monday
):
    services.book(mentor, omar, at(monday, 10), now=NOW)  # taken meanwhile
    response = post_booking(logged_in, mentor, at(monday, 10).isoformat(), week=str(monday))
    html = response.content.decode()
    assert response.status_code == 409
    assert "was just taken" in html and "Nothing was booked" in html
    assert at(monday, 11).isoformat() in html  # the free times are there to pick from
    assert MentorSession.objects.count() == 1


def test_a_time_outside_availability_through_the_page_books_nothing(logged_in, mentor, monday):
    response = post_booking(logged_in, mentor, at(monday, 20).isoformat())
    assert response.status_code == 200 and "is not available" in response.content.decode()
    assert not MentorSession.objects.exists()


def test_a_nonexistent_dst_time_through_the_page_is_refused(logged_in, mentor):
    response = post_booking(logged_in, mentor, "2026-03-08T02:30")  # New York's skipped hour
    html = response.content.decode()
    assert response.status_code == 400
    assert "02:30 does not exist on Sunday 8 March 2026 in America/New_York" in html
    assert not MentorSession.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_to_book(client, mentor, monday, clock):
    response = post_booking(client, mentor, at(monday, 10).isoformat())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not MentorSession.objects.exists()


# --- sessions: who sees and changes what ------------------------------------------------------


def test_someone_elses_session_is_not_found(client, booked, omar, clock):
    client.force_login(omar)
    assert client.get(booked.get_absolute_url()).status_code == 404
    response = client.post(booked.get_absolute_url(), {"action": "cancel", "reason": "x"})
    assert response.status_code == 404
    booked.refresh_from_db()
    assert booked.status == "confirmed"


def test_another_mentor_cannot_open_the_session(client, booked, clock):
    stranger = make_mentor("other@helix.example")
    client.force_login(stranger.user)
    assert client.get(booked.get_absolute_url()).status_code == 404
    assert client.get(f"{booked.get_absolute_url()}reschedule/").status_code == 404


def test_the_learner_sees_shared_notes_but_not_private_ones(client, booked, mentor, clock):
    services.add_note(booked, by=mentor.user, body="Shared plan", shared=True)
    services.add_note(booked, by=mentor.user, body="Private worry", shared=False)
    client.force_login(booked.learner)
    html = client.get(booked.get_absolute_url()).content.decode()
    assert "Shared plan" in html and "Private worry" not in html
    client.force_login(mentor.user)
    assert "Private worry" in client.get(booked.get_absolute_url()).content.decode()


def test_the_learner_cannot_post_a_note(client, booked, clock):
    client.force_login(booked.learner)
    response = client.post(booked.get_absolute_url(), {"action": "note", "body": "x"})
    assert response.status_code == 403
    assert not booked.notes.exists()


def test_the_learner_cannot_mark_the_session_completed(client, booked, clock):
    clock(booked.ends_at)
    client.force_login(booked.learner)
    assert client.post(booked.get_absolute_url(), {"action": "complete"}).status_code == 403


def test_cancelling_through_the_page_needs_a_reason(client, booked, clock):
    client.force_login(booked.learner)
    response = client.post(booked.get_absolute_url(), {"action": "cancel", "reason": ""})
    assert response.status_code == 400
    booked.refresh_from_db()
    assert booked.status == "confirmed"


def test_cancelling_after_the_cutoff_through_the_page_explains_why(client, booked, clock):
    clock(booked.starts_at - timedelta(hours=3))
    client.force_login(booked.learner)
    response = client.post(booked.get_absolute_url(), {"action": "cancel", "reason": "ill"})
    assert response.status_code == 400 and "cancelled until 24 hours" in response.content.decode()


def test_rescheduling_through_the_page_moves_the_session(client, booked, monday, clock):
    client.force_login(booked.learner)
    page = client.get(f"{booked.get_absolute_url()}reschedule/?from={monday}")
    assert at(monday, 14).isoformat() in page.content.decode()
    response = client.post(
        f"{booked.get_absolute_url()}reschedule/", {"start": at(monday, 14).isoformat()}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.starts_at == at(monday, 14) and booked.sequence == 1


def test_the_learner_rates_through_the_page(client, booked, mentor, clock):
    services.mark_completed(booked, by=mentor.user, now=booked.ends_at)
    client.force_login(booked.learner)
    client.post(booked.get_absolute_url(), {"action": "feedback", "rating": "4", "feedback": "ok"})
    booked.refresh_from_db()
    assert booked.rating == 4


def test_my_sessions_needs_a_login(client, db):
    assert client.get("/mentors/sessions/").status_code == 302


# --- the mentor desk ------------------------------------------------------------------------


def test_a_learner_has_no_mentor_desk(logged_in):
    assert logged_in.get("/mentors/desk/").status_code == 403
    assert logged_in.get("/mentors/desk/availability/").status_code == 403


def test_a_new_mentor_gets_a_profile_from_their_account(client, make_user, clock):
    user = make_user("new@uni.example", roles.MENTORS, time_zone="Asia/Tokyo")
    client.force_login(user)
    assert client.get("/mentors/desk/").status_code == 200
    assert user.mentor_profile.time_zone == "Asia/Tokyo"


def test_the_desk_shows_hours_ratings_and_no_shows(client, booked, mentor, clock):
    services.mark_completed(booked, by=mentor.user, now=booked.ends_at)
    services.leave_feedback(booked, by=booked.learner, rating=4, feedback="", now=NOW)
    client.force_login(mentor.user)
    report = client.get("/mentors/desk/").context["report"]
    assert (report["hours"], report["completed"], report["rating"], report["no_shows"]) == (
        1.0, 1, 4, 0,
    )  # fmt: skip


def test_the_week_editor_saves_several_ranges_per_day(client, mentor, clock):
    client.force_login(mentor.user)
    response = client.post(
        "/mentors/desk/availability/",
        {"form": "week", "start-0": ["09:00", "14:00"], "end-0": ["12:00", "17:30"],
         "start-2": ["10:00"], "end-2": ["11:00"]},
    )  # fmt: skip
    assert response.status_code == 302
    rows = [
        (r.weekday, f"{r.start_time:%H:%M}", f"{r.end_time:%H:%M}") for r in mentor.weekly.all()
    ]
    assert rows == [(0, "09:00", "12:00"), (0, "14:00", "17:30"), (2, "10:00", "11:00")]


def test_the_week_editor_refuses_overlapping_ranges_and_keeps_the_old_week(client, mentor, clock):
    client.force_login(mentor.user)
    before = WeeklyAvailability.objects.count()
    response = client.post(
        "/mentors/desk/availability/",
        {"form": "week", "start-0": ["09:00", "11:00"], "end-0": ["12:00", "13:00"]},
    )
    assert response.status_code == 400 and "overlap" in response.content.decode()
    assert WeeklyAvailability.objects.count() == before


def test_a_date_override_at_a_nonexistent_time_is_refused(client, mentor, clock):
    client.force_login(mentor.user)
    response = client.post(
        "/mentors/desk/availability/",
        {"form": "override", "date": "2026-03-29", "hours": "02:30–05:00"},
    )
    assert response.status_code == 400
    assert "02:30 does not exist on Sunday 29 March 2026 in Europe/Berlin" in (
        response.content.decode()
    )
    assert not DateOverride.objects.exists()


def test_a_day_off_is_saved_from_the_page(client, mentor, clock):
    client.force_login(mentor.user)
    client.post("/mentors/desk/availability/", {"form": "override", "date": "2026-03-10"})
    assert DateOverride.objects.get().is_day_off


def test_a_date_in_the_past_cannot_be_changed(mentor):
    with pytest.raises(services.MentoringError, match="has passed"):
        mentor_profiles.set_date_override(
            mentor, NOW.date() - timedelta(days=1), [], by=mentor.user, now=NOW
        )


def test_nobody_changes_another_mentors_hours(mentor, mentee):
    with pytest.raises(PermissionError):
        mentor_profiles.set_weekly_availability(mentor, [], by=mentee)


def test_the_profile_form_saves_languages_and_zone(client, mentor, clock):
    client.force_login(mentor.user)
    data = {
        "headline": "Engineer", "organisation": "Helix", "sector": "industry", "bio": "",
        "languages": ["en", "de"], "time_zone": "Europe/Vienna", "session_minutes": 30,
        "slot_step_minutes": 30, "buffer_before_minutes": 0, "buffer_after_minutes": 10,
        "min_notice_hours": 4, "booking_window_days": 30, "capacity": 3,
        "cancellation_cutoff_hours": 12, "meeting_url": "meet.example/paul", "is_listed": "on",
    }  # fmt: skip
    response = client.post("/mentors/desk/profile/", data)
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.language_codes == ["de", "en"] and mentor.time_zone == "Europe/Vienna"
    assert mentor.meeting_url == "https://meet.example/paul"
