"""Issuer staff award one badge to many people from a CSV: a bad row is listed with its line
number and why, and either skipped or fixed; every row is previewed, awarded in the background
with true progress, and listed — at desktop and phone widths, every page audited, the award
started with the keyboard alone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from cms import roles
from credentials import services
from credentials.models import Award, BadgeClass, BulkAward
from tests.browser.helpers import (
    PASSWORD,
    WIDTHS,
    at_desktop_width,
    at_phone_width,
    badge_png,
    check_page,
    keyboard_activate,
)
from tests.browser.second_factor import log_in_with_second_factor
from tests.credentials.factories import make_badge, make_issuer

BADGE = "Industry Pitch Coach"
HOLDER = "omar@example.org"
BAD_CSV = (
    b"email,name,evidence_name\r\n"
    b"lena@example.org,Lena Novak,Pitch deck\r\n"
    b"noah-at-example.org,Noah Peeters,\r\n"
)
GOOD_CSV = (
    b"email,name,evidence_name\r\n"
    b"lena@example.org,Lena Novak,Pitch deck\r\n"
    b"noah@example.org,Noah Peeters,\r\n"
    b"omar@example.org,Omar Haddad,\r\n"
)


@pytest.fixture
def bulk_badge(site, settings, tmp_path) -> BadgeClass:
    settings.MEDIA_ROOT = tmp_path / "media"
    issuer = make_issuer("northbridge", name="Northbridge University")
    staff = get_user_model().objects.create_user(
        email="staff@northbridge.example", password=PASSWORD, display_name="Sofia Staff"
    )
    roles.grant(staff, roles.ISSUER_STAFF)
    issuer.staff.add(staff)
    badge = make_badge(issuer, "industry-pitch-coach", name=BADGE)
    badge.image.save("coach.png", ContentFile(badge_png()))
    services.award(badge, HOLDER, awarded_by=staff)
    mail.outbox.clear()
    return badge


def csv_file(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": data}


def test_issuer_staff_fix_a_bad_row_preview_and_award_a_badge_from_a_csv(
    page: Page, site, bulk_badge: BadgeClass
):
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    failed: list[tuple[str, int]] = []
    page.on("response", lambda r: r.status >= 400 and failed.append((r.request.method, r.status)))

    log_in_with_second_factor(page, site.url, "staff@northbridge.example")
    page.goto(f"{site.url}/credentials/manage/northbridge/badges/{bulk_badge.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(BADGE)
    check_page(page, "badge")
    page.get_by_role("link", name="Award from a CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Award “{BADGE}” to many people")
    check_page(page, "bulk-upload")

    # A malformed e-mail address: the row is named by its line and why; they fix the file.
    page.get_by_label("Recipients (CSV)").set_input_files(files=[csv_file("cohort.csv", BAD_CSV)])
    page.get_by_role("button", name="Check the file").click()
    alert = page.locator("#bulk-problems")
    expect(alert).to_contain_text("1 row of 2 is not valid")
    expect(alert).to_contain_text("(1 other row is fine)")
    problem = page.get_by_role("row", name=re.compile("noah-at-example.org"))
    expect(problem.get_by_role("cell").nth(0)).to_have_text("3")
    expect(problem).to_contain_text("Not a valid e-mail address")
    check_page(page, "bulk-bad-row")
    page.get_by_role("link", name="Fix the file and upload it again").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Discard the upload")
    check_page(page, "bulk-discard")
    page.get_by_role("button", name="Discard the upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Award “{BADGE}” to many people")
    assert not BulkAward.objects.exists()
    assert Award.objects.filter(badge_class=bulk_badge).count() == 1

    # The corrected file: three people, one of whom already holds the badge.
    page.get_by_label("Recipients (CSV)").set_input_files(files=[csv_file("cohort.csv", GOOD_CSV)])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bulk award of “{BADGE}”")
    summary = page.get_by_label("What will happen")
    expect(summary).to_contain_text("3 rows checked")
    expect(summary).to_contain_text("2 new credentials")
    expect(summary).to_contain_text("1 already holds it (skipped)")
    expect(page.get_by_role("row", name=re.compile("Noah Peeters"))).to_contain_text(
        "noah@example.org"
    )
    check_page(page, "bulk-preview")
    assert Award.objects.filter(badge_class=bulk_badge).count() == 1
    assert mail.outbox == []

    # The go, by keyboard: with eager Celery the job is done by the time the page shows.
    keyboard_activate(page, page.get_by_role("button", name="Award 2 credentials"))
    progress = page.locator("#bulk-progress")
    expect(progress.get_by_text("Done.")).to_be_visible()
    expect(progress).to_contain_text("3 of 3 rows · 100%")
    expect(progress.locator("progress")).to_have_attribute("value", "3")
    expect(progress).to_contain_text("2 credentials issued")
    expect(progress).to_contain_text("1 already held the badge")
    check_page(page, "bulk-done")
    status = page.request.get(site.url + progress.get_attribute("data-status-url")).json()
    assert status | {"status_label": ""} == {
        "status": "done", "status_label": "", "total": 3, "done": 3, "percent": 100,
        "awarded": 2, "already": 1, "error": "", "finished": True, "stalled": False,
        "skipped": 0,
    }  # fmt: skip

    job = BulkAward.objects.get()
    assert job.status == BulkAward.Status.DONE
    assert sorted(job.awards.values_list("recipient_email", flat=True)) == [
        "lena@example.org",
        "noah@example.org",
    ]
    assert Award.objects.filter(badge_class=bulk_badge).count() == 3
    assert Award.objects.filter(badge_class=bulk_badge, recipient_email=HOLDER).count() == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "lena@example.org",
        "noah@example.org",
    ]
    assert {message.subject for message in mail.outbox} == {
        f"You have earned “{BADGE}” from Northbridge University"
    }

    # The award list, filtered to this badge, names all three holders.
    page.get_by_role("link", name="See the awards of this badge").click()
    for name in ("Lena Novak", "Noah Peeters"):
        expect(page.get_by_role("row", name=re.compile(name))).to_contain_text("Valid")
    expect(page.get_by_role("row", name=re.compile(HOLDER))).to_contain_text("Valid")
    check_page(page, "awards")
    assert script_errors == []
    assert failed == []


def test_the_progress_page_follows_a_job_that_runs_in_the_background(
    page: Page, site, bulk_badge: BadgeClass
):
    """The job is queued (no worker here); the page polls while chunks finish one by one."""
    from unittest import mock

    from credentials.services import bulk

    staff = get_user_model().objects.get(email="staff@northbridge.example")
    rows, _problems = bulk.check_csv(bulk_badge, b"email\r\na@example.org\r\nb@example.org\r\n")
    job = bulk.create_job(bulk_badge, rows, staff, "cohort.csv")
    job.chunk_size = 1
    job.save(update_fields=["chunk_size"])
    with mock.patch("credentials.tasks.run_bulk_award_chunk.delay"):
        bulk.start(job, staff)
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))

    log_in_with_second_factor(page, site.url, "staff@northbridge.example")
    page.goto(f"{site.url}/credentials/manage/northbridge/bulk/{job.public_id}/")
    expect(page.locator("#bulk-progress")).to_contain_text("0 of 2 rows")
    check_page(page, "bulk-running")
    bulk.run_chunk(job, 0)  # a worker finishes the first chunk …
    expect(page.locator("#bulk-progress")).to_contain_text("1 of 2 rows · 50%")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    bulk.run_chunk(job, 1)  # … and the second
    expect(page.get_by_text("Done.", exact=False).last).to_be_visible()
    expect(page.locator("#bulk-progress")).to_contain_text("2 credentials issued")
    assert script_errors == []


MIXED_CSV = b"email,name\r\n" + b"".join(
    (
        b"bad-address-%d,Bad Row %d\r\n" % (n, n)
        if n in (4, 9, 17)
        else b"person%d@example.org,Person Number %d\r\n" % (n, n)
    )
    for n in range(2, 32)
)  # fmt: skip  -- 30 rows, each on file line n: 27 valid, 3 bad (lines 4, 9, 17)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_issuer_staff_award_the_valid_rows_and_skip_the_bad_ones(
    page: Page, site, bulk_badge: BadgeClass, width: str
):
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    log_in_with_second_factor(page, site.url, "staff@northbridge.example")
    (at_phone_width if width == "phone" else at_desktop_width)(page)

    def no_sideways_scroll(label: str) -> None:
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= WIDTHS[width]["width"], f"{label}: {wide} px wide"
        check_page(page, f"bulk-{label}")

    page.goto(f"{site.url}/credentials/manage/northbridge/badges/{bulk_badge.slug}/award/bulk/")
    no_sideways_scroll("upload")
    page.get_by_label("Recipients (CSV)").set_input_files(files=[csv_file("cohort.csv", MIXED_CSV)])
    page.get_by_role("button", name="Check the file").click()

    # Every row is shown, the three bad ones first, each with why; nobody is awarded yet.
    expect(page.locator("#bulk-problems")).to_contain_text("3 rows of 30 are not valid")
    rows = page.locator("#bulk-rows tbody tr")
    expect(rows).to_have_count(30)
    for index, (line, name) in enumerate([(4, "Bad Row 4"), (9, "Bad Row 9"), (17, "Bad Row 17")]):
        expect(rows.nth(index)).to_contain_text(name)
        expect(rows.nth(index)).to_contain_text(str(line))
        expect(rows.nth(index)).to_contain_text("Not a valid e-mail address")
    expect(page.get_by_role("link", name="Download the skipped rows (CSV)")).to_be_visible()
    no_sideways_scroll("preview")
    assert not Award.objects.filter(bulk_award__isnull=False).exists()

    award = page.get_by_role("button", name="Award the 27 valid rows and skip the 3 others")
    if width == "phone":  # the keyboard alone: Tab to it, Enter — and Enter again, as people do
        keyboard_activate(page, award)
        page.keyboard.press("Enter")
    else:
        award.dblclick()  # a double click starts one job, once
    progress = page.locator("#bulk-progress")
    # Eager Celery: the 27 awards are signed, baked and e-mailed before the page shows.
    expect(progress.get_by_text("Done.")).to_be_visible(timeout=90_000)
    expect(progress).to_contain_text("27 of 27 rows · 100%")
    expect(progress).to_contain_text("27 credentials issued")
    expect(progress.get_by_text("so far", exact=True)).to_be_hidden()
    expect(progress).to_contain_text("3 rows skipped (not valid)")
    skipped = page.get_by_role("region", name="Rows skipped as not valid")
    expect(skipped.get_by_role("row", name=re.compile("Bad Row 9"))).to_contain_text("9")
    no_sideways_scroll("progress")

    assert BulkAward.objects.count() == 1
    job = BulkAward.objects.get()
    assert job.status == BulkAward.Status.DONE
    assert job.awards.count() == 27
    assert not Award.objects.filter(recipient_email__startswith="bad-address").exists()
    assert len(mail.outbox) == 27
    assert script_errors == []
