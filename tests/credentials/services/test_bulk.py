"""Bulk awards from a CSV: checking the file, awarding in chunks, resuming, who may do it."""

from unittest import mock

import pytest
from django.core import mail

from credentials import services
from credentials.models import Award, BadgeClass, BulkAward, BulkAwardChunk
from credentials.services import bulk, bulk_csv

pytestmark = pytest.mark.django_db


def check(badge, text: str | bytes):
    return bulk.check_csv(badge, text.encode() if isinstance(text, str) else text)


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """``bulk.start`` as a worker would see it: the tasks run once the transaction commits."""

    def run(job, by):
        with django_capture_on_commit_callbacks(execute=True):
            started = bulk.start(job, by)
        return started

    return run


def job_for(badge, staff, emails, chunk_size=None):
    rows, problems = check(badge, "email\n" + "".join(f"{e}\n" for e in emails))
    assert not problems
    job = bulk.create_job(badge, rows, staff, "people.csv")
    if chunk_size:
        job.chunk_size = chunk_size
        job.save(update_fields=["chunk_size"])
    return job


# Checking the file


def test_check_reads_rows_with_names_and_evidence(badge):
    rows, problems = check(
        badge,
        "Email,Name,Evidence Narrative,Evidence URL\n"
        "Lena@Example.org,Lena Novak,Pitched to Helix,https://x.example/pitch\n",
    )
    assert problems == []
    assert rows == [
        {
            "line": 2,
            "email": "lena@example.org",
            "name": "Lena Novak",
            "evidence": {
                "narrative": "Pitched to Helix",
                "url": "https://x.example/pitch",
            },
        }
    ]


def test_check_reads_semicolon_separated_files_from_spreadsheets(badge):
    rows, _ = check(badge, "\ufeffemail;name\nlena@example.org;Lena\n".encode("utf-8"))
    assert rows[0]["name"] == "Lena"


def test_check_reports_every_bad_row_with_its_line(badge):
    rows, problems = check(
        badge,
        "email,evidence_url\n"
        "lena@example.org,\n"
        "not-an-address,\n"
        ",\n"
        "omar@example.org,ftp://files.example/x\n"
        "LENA@example.org,\n",
    )
    assert [r["email"] for r in rows] == ["lena@example.org"]
    assert [(p.line, p.message) for p in problems] == [
        (3, "not a valid e-mail address"),
        (5, "the evidence URL is not a web address (http or https)"),
        (6, "appears twice (first on line 2)"),
    ]


def test_check_skips_blank_lines(badge):
    rows, problems = check(badge, "email\n\nlena@example.org\n\n")
    assert len(rows) == 1 and problems == []


def test_check_allows_repeats_for_a_badge_that_may_be_awarded_again(badge):
    badge.allow_reaward = True
    rows, problems = check(badge, "email\nlena@example.org\nlena@example.org\n")
    assert len(rows) == 2 and problems == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"name\nLena\n", "one called \u201cemail\u201d"),
        (b"email,shoe_size\nlena@example.org,42\n", "Unknown column(s): shoe_size"),
        (b"email\n", "no recipients"),
        ("email\nl\u00e9na@example.org\n".encode("latin-1"), "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not"),
    ],
)
def test_check_refuses_a_file_it_cannot_use(badge, content, message):
    with pytest.raises(bulk.BulkAwardError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check(badge, content)


def test_check_refuses_a_file_that_is_too_large(badge):
    with pytest.raises(bulk.BulkAwardError, match="larger than 5 MB"):
        check(badge, b"email\n" + b"a@example.org\n" * (bulk.MAX_BYTES // 14 + 1))


def test_check_refuses_too_many_rows(badge, monkeypatch):
    monkeypatch.setattr(bulk_csv, "MAX_ROWS", 3)
    with pytest.raises(bulk.BulkAwardError, match="more than 3 rows"):
        check(badge, "email\n" + "".join(f"p{n}@example.org\n" for n in range(4)))


# Who may start one


def test_staff_of_another_issuer_may_not_create_a_job(badge, other_staff):
    rows, _ = check(badge, "email\nlena@example.org\n")
    with pytest.raises(PermissionError):
        bulk.create_job(badge, rows, other_staff)
    assert not BulkAward.objects.exists()


def test_a_learner_may_not_start_a_job(badge, staff, learner):
    job = job_for(badge, staff, ["lena@example.org"])
    with pytest.raises(PermissionError):
        bulk.start(job, learner)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.CHECKED
    assert not Award.objects.exists()


def test_a_draft_badge_cannot_be_awarded_in_bulk(badge, staff):
    rows, _ = check(badge, "email\nlena@example.org\n")
    badge.status = BadgeClass.Status.DRAFT
    badge.save()
    with pytest.raises(bulk.BulkAwardError, match="not published"):
        bulk.create_job(badge, rows, staff)


# Running


def test_a_job_awards_signs_and_emails_everyone(badge, staff, start):
    job = start(job_for(badge, staff, ["a@example.org", "b@example.org"]), staff)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.DONE
    awards = Award.objects.filter(bulk_award=job)
    assert sorted(a.recipient_email for a in awards) == ["a@example.org", "b@example.org"]
    assert all(a.signed_at and a.ob3_credential and a.ob2_signed for a in awards)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert {a.awarded_by for a in awards} == {staff}


def test_a_job_runs_in_chunks_and_reports_progress(badge, staff, start):
    job = job_for(badge, staff, [f"p{n}@example.org" for n in range(5)], chunk_size=2)
    start(job, staff)
    job.refresh_from_db()
    assert job.chunk_count == 3
    assert sorted(job.chunks.values_list("rows", flat=True)) == [1, 2, 2]
    assert bulk.progress(job) | {"status_label": ""} == {
        "status": "done",
        "status_label": "",
        "total": 5,
        "done": 5,
        "percent": 100,
        "awarded": 5,
        "already": 0,
        "error": "",
        "finished": True,
        "stalled": False,
        "skipped": 0,
    }


def test_people_who_already_hold_the_badge_are_not_awarded_twice(badge, staff, learner, start):
    earlier = services.award(badge, learner)
    job = start(job_for(badge, staff, [learner.email, "new@example.org"]), staff)
    job.refresh_from_db()
    assert Award.objects.filter(badge_class=badge).count() == 2
    assert Award.objects.get(recipient_email=learner.email) == earlier
    assert bulk.progress(job)["awarded"] == 1
    assert bulk.progress(job)["already"] == 1


def test_rows_of_people_with_an_account_are_linked_to_it(badge, staff, learner, start):
    start(job_for(badge, staff, [learner.email.upper()]), staff)
    assert Award.objects.get(badge_class=badge).recipient == learner


def test_starting_twice_runs_the_job_once(badge, staff, start):
    job = job_for(badge, staff, ["a@example.org"])
    with mock.patch("credentials.tasks.run_bulk_award_chunk.delay") as delay:
        start(job, staff)
        start(job, staff)
    assert delay.call_count == 1


def test_a_chunk_that_runs_twice_awards_nobody_twice(badge, staff, start):
    job = start(job_for(badge, staff, ["a@example.org", "b@example.org"]), staff)
    BulkAwardChunk.objects.filter(job=job).delete()
    BulkAward.objects.filter(pk=job.pk).update(status=BulkAward.Status.RUNNING)
    assert bulk.run_chunk(job, 0) == 0
    assert Award.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_reawardable_badge_gets_one_award_per_row_even_when_run_twice(badge, staff, start):
    badge.allow_reaward = True
    badge.save()
    job = start(job_for(badge, staff, ["a@example.org", "a@example.org"]), staff)
    BulkAwardChunk.objects.filter(job=job).delete()
    BulkAward.objects.filter(pk=job.pk).update(status=BulkAward.Status.RUNNING)
    bulk.run_chunk(job, 0)
    assert Award.objects.filter(recipient_email="a@example.org").count() == 2


@pytest.mark.django_db(transaction=True)  # each chunk commits on its own, as in a worker
def test_a_failing_chunk_stops_the_job_and_resume_finishes_it(badge, staff, start):
    job = job_for(badge, staff, [f"p{n}@example.org" for n in range(4)], chunk_size=2)
    real = bulk.signing.sign_many
    calls = []

    def flaky(awards):
        calls.append(len(awards))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(awards)

    with mock.patch.object(bulk.signing, "sign_many", flaky), pytest.raises(RuntimeError):
        start(job, staff)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.FAILED
    assert "disk full" in job.error
    assert bulk.progress(job)["done"] == 2
    start(job, staff)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.DONE
    assert Award.objects.filter(bulk_award=job, signed_at__isnull=False).count() == 4
    assert len(mail.outbox) == 4


def test_award_many_checks_every_recipient_before_storing_any(badge, staff):
    grants = [services.Grant("good@example.org"), services.Grant("not an address")]
    with pytest.raises(services.AwardError, match="not a valid e-mail"):
        services.award_many(badge, grants, staff)
    assert not Award.objects.exists()


def test_award_many_gives_distinct_status_list_entries(badge, staff):
    given = services.award_many(
        badge, [services.Grant(f"p{n}@example.org") for n in range(3)], staff
    )
    assert len({a.status_index for a, _created in given}) == 3
    assert len({a.status_list_id for a, _created in given}) == 1
    assert all(created for _award, created in given)


# What the review found


def test_check_keeps_doubled_quotes_inside_a_quoted_value(badge):
    rows, _ = check(badge, 'email,name\nbob@example.org,"Robert ""Bob"" Smith"\n')
    assert rows[0]["name"] == 'Robert "Bob" Smith'


def test_check_refuses_invisible_control_characters(badge):
    _, problems = check(badge, "email,evidence_narrative\nlena@example.org,Pitched\x0bhard\n")
    assert "control character" in problems[0].message


def test_check_refuses_an_address_longer_than_the_award_holds(badge):
    address = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"
    _, problems = check(badge, f"email\n{address}\n")
    assert "longer than 254" in problems[0].message


def test_check_refuses_a_column_named_twice(badge):
    with pytest.raises(bulk.BulkAwardError, match="named twice: email"):
        check(badge, "email,E-mail\nlena@example.org,lena@example.org\n")


def test_check_reports_a_row_with_more_cells_than_columns(badge):
    _, problems = check(badge, "email,name\nlena@example.org,O'Neil, Pat\n")
    assert "needs quotes" in problems[0].message


def test_resume_awards_in_the_name_of_whoever_resumes(badge, staff, make_user, start):
    from cms import roles

    job = job_for(badge, staff, ["a@example.org"])
    badge.issuer.staff.remove(staff)
    colleague = make_user("colleague@uni.example", roles.ISSUER_STAFF)
    badge.issuer.staff.add(colleague)
    with pytest.raises(PermissionError):
        bulk.start(job, staff)
    start(job, colleague)
    assert Award.objects.get().awarded_by == colleague


def test_a_chunk_fails_the_job_when_its_starter_lost_access(badge, staff, start):
    job = job_for(badge, staff, ["a@example.org"])
    with mock.patch("credentials.tasks.run_bulk_award_chunk.delay"):
        bulk.start(job, staff)
    badge.issuer.staff.remove(staff)
    from credentials import tasks

    with pytest.raises(PermissionError):
        tasks.run_bulk_award_chunk.apply(args=[job.pk, 0], throw=True)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.FAILED
    assert "no longer acts for this institution" in job.error
    assert "lines 2–2" in job.error


def test_a_stalled_job_can_be_resumed_and_a_busy_one_cannot(badge, staff, start):
    from datetime import timedelta

    from django.utils import timezone

    job = job_for(badge, staff, ["a@example.org"])
    with mock.patch("credentials.tasks.run_bulk_award_chunk.delay") as delay:
        start(job, staff)
        start(job, staff)
        assert delay.call_count == 1
        BulkAward.objects.filter(pk=job.pk).update(
            started_at=timezone.now() - bulk.STALLED_AFTER - timedelta(minutes=1)
        )
        job.refresh_from_db()
        assert bulk.progress(job)["stalled"] is True
        start(job, staff)
    assert delay.call_count == 2


def test_a_broker_that_is_down_fails_the_job_with_a_reason(badge, staff, start, monkeypatch):
    from credentials import receivers, tasks

    monkeypatch.setattr(receivers, "_eager", lambda: False)
    job = job_for(badge, staff, ["a@example.org"])
    with mock.patch.object(
        tasks.run_bulk_award_chunk, "delay", side_effect=ConnectionRefusedError("no broker")
    ):
        start(job, staff)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.FAILED
    assert "could not be queued" in job.error


def test_a_database_that_stays_locked_fails_the_job_after_the_retries(badge, staff):
    from django.db import OperationalError

    from credentials import tasks

    job = job_for(badge, staff, ["a@example.org"])
    BulkAward.objects.filter(pk=job.pk).update(status=BulkAward.Status.RUNNING)
    with (
        mock.patch.object(bulk, "run_chunk", side_effect=OperationalError("database is locked")),
        pytest.raises(OperationalError),
    ):
        tasks.run_bulk_award_chunk.apply(args=[job.pk, 0], retries=5, throw=True)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.FAILED
    assert "database is locked" in job.error


def test_discard_refuses_a_job_that_has_started(badge, staff):
    job = job_for(badge, staff, ["a@example.org"])
    BulkAward.objects.filter(pk=job.pk).update(status=BulkAward.Status.QUEUED)
    assert bulk.discard(job, staff) is False
    assert BulkAward.objects.filter(pk=job.pk).exists()


def test_one_award_that_cannot_be_signed_does_not_hold_up_the_others(badge, staff):
    from credentials.issuing import signing

    given = services.award_many(
        badge, [services.Grant(f"p{n}@example.org") for n in range(3)], staff, bake=False
    )
    awards = [a for a, _created in given]
    real = signing.signed_documents

    def sign(award):
        if award.recipient_email == "p1@example.org":
            raise ValueError("broken")
        return real(award)

    with (
        mock.patch.object(signing, "signed_documents", sign),
        pytest.raises(signing.SigningError, match="p1@example.org"),
    ):
        signing.sign_many(awards)
    signed = set(
        Award.objects.filter(signed_at__isnull=False).values_list("recipient_email", flat=True)
    )
    assert signed == {"p0@example.org", "p2@example.org"}


@pytest.mark.django_db(transaction=True)  # the thread has its own database connection
def test_without_a_broker_the_job_runs_in_a_thread_off_the_request(badge, staff, settings):
    import threading

    settings.BULK_AWARD_THREAD_WHEN_EAGER = True
    job = job_for(badge, staff, ["a@example.org", "b@example.org"], chunk_size=1)
    bulk.start(job, staff)  # returns at once; the thread does the work
    for thread in threading.enumerate():
        if thread.name == f"bulk-award-{job.pk}":
            thread.join(timeout=60)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.DONE
    assert Award.objects.filter(bulk_award=job, signed_at__isnull=False).count() == 2


def test_uploads_never_started_are_forgotten_after_a_week(badge, staff):
    from datetime import timedelta

    from django.utils import timezone

    old = job_for(badge, staff, ["a@example.org"])
    started = job_for(badge, staff, ["b@example.org"])
    fresh = job_for(badge, staff, ["c@example.org"])
    week_ago = timezone.now() - timedelta(days=8)
    BulkAward.objects.filter(pk__in=[old.pk, started.pk]).update(created_at=week_ago)
    BulkAward.objects.filter(pk=started.pk).update(status=BulkAward.Status.DONE)
    assert bulk.prune_uploads() == 1
    assert set(BulkAward.objects.values_list("pk", flat=True)) == {started.pk, fresh.pk}


# E-mails and signing of a chunk


def test_a_chunk_emails_its_own_awards_once_signed_without_queueing_a_task(badge, staff, start):
    from credentials import tasks

    signed_when_sent = []
    real_send = bulk.emails.send_award_email

    def send(award, connection=None, urls=None):
        signed_when_sent.append(Award.objects.get(pk=award.pk).signed_at is not None)
        return real_send(award, connection, urls)

    job = job_for(badge, staff, ["a@example.org", "b@example.org"])
    with (
        mock.patch.object(tasks.send_award_emails_task, "delay") as queued,
        mock.patch.object(bulk.emails, "send_award_email", send),
    ):
        start(job, staff)
    queued.assert_not_called()  # not queued behind the chunks still to run
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert signed_when_sent == [True, True]
    assert Award.objects.filter(bulk_award=job, notified_at__isnull=False).count() == 2


def test_a_chunk_whose_mail_server_is_down_still_finishes_and_hands_the_emails_on(
    badge, staff, start
):
    from credentials import tasks

    job = job_for(badge, staff, ["a@example.org", "b@example.org"])
    with (
        mock.patch.object(bulk.emails, "send_award_emails", side_effect=ConnectionRefusedError),
        mock.patch.object(tasks.send_award_emails_task, "delay") as queued,
    ):
        start(job, staff)
    job.refresh_from_db()
    assert job.status == BulkAward.Status.DONE
    pks = sorted(Award.objects.filter(bulk_award=job).values_list("pk", flat=True))
    queued.assert_called_once()
    assert sorted(queued.call_args.args[0]) == pks  # the retrying task sends them


def test_an_award_already_held_is_not_emailed_again_by_a_bulk_chunk(badge, staff, start):
    services.award(badge, "a@example.org")
    Award.objects.update(notified_at=None)  # its own e-mail is the single award's business
    mail.outbox.clear()
    start(job_for(badge, staff, ["a@example.org", "b@example.org"]), staff)
    assert [m.to[0] for m in mail.outbox] == ["b@example.org"]


def test_signing_a_chunk_writes_its_awards_in_one_statement_without_reading_them(badge, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from credentials.issuing import keystore, signing

    keystore.ensure_keys(badge.issuer)
    given = services.award_many(
        badge, [services.Grant(f"p{n}@example.org") for n in range(5)], staff, bake=False
    )
    awards = [award for award, _created in given]
    signing.signed_documents(awards[0])  # keys and contexts read once, before counting
    with CaptureQueriesContext(connection) as queries:
        assert signing.sign_many(awards) == 5
    on_awards = [q["sql"] for q in queries if "credentials_award" in q["sql"]]
    assert len(on_awards) == 1 and on_awards[0].startswith("UPDATE")
    assert Award.objects.filter(signed_at__isnull=False).count() == 5


def test_an_award_signed_elsewhere_meanwhile_keeps_its_proofs(badge, staff):
    from credentials.issuing import signing

    given = services.award_many(
        badge, [services.Grant(f"p{n}@example.org") for n in range(2)], staff, bake=False
    )
    awards = [award for award, _created in given]
    theirs = signing.sign_award(Award.objects.get(pk=awards[0].pk))  # another process
    assert signing.sign_many(awards) == 1
    stored = Award.objects.get(pk=awards[0].pk)
    assert stored.ob3_credential == theirs.ob3_credential
    assert awards[0].ob3_credential == theirs.ob3_credential  # the caller holds theirs too
    assert stored.signed_at == theirs.signed_at
