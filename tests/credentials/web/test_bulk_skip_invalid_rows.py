"""A CSV with some bad rows: award the valid ones and skip the others, every row previewed
(the skipped first, with why), the skipped rows as a spreadsheet-safe CSV, progress that is
true while a chunk is still signing."""

import csv
import io
import re
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials import services
from credentials.models import Award, BulkAward
from credentials.services import bulk
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db

BAD_LINES = {
    5: ("noah-at-example.org", "Noah Peeters", "Not a valid e-mail address"),
    12: ("", '=HYPERLINK("http://evil.example")', "The e-mail address is missing"),
    20: ("mia@example.org", "Mia Dupont", "The evidence URL is not a web address"),
}


def mixed_csv(good: int = 27) -> bytes:
    """A header, then ``good`` valid rows with three bad ones among them (lines 5, 12, 20)."""
    lines, person = ["email,name,evidence_url"], 0
    while len(lines) - 1 < good + len(BAD_LINES):
        line = len(lines) + 1
        if line in BAD_LINES:
            email, name, _why = BAD_LINES[line]
            url = "ftp://nope" if line == 20 else ""
            lines.append(f'{email},"{name.replace(chr(34), chr(34) * 2)}",{url}')
        else:
            person += 1
            lines.append(f"p{person}@example.org,Person {person},")
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(client, badge, data: bytes, name: str = "cohort.csv"):
    url = reverse("credentials_manage:badge_bulk_award", args=[badge.issuer.slug, badge.slug])
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def words(html: str) -> str:
    """The page's text as a reader sees it: no tags, single spaces."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def job_url(job, name="bulk_award"):
    return reverse(f"credentials_manage:{name}", args=[job.badge_class.issuer.slug, job.public_id])


def test_bad_rows_no_longer_block_the_good_ones(client, badge, staff):
    login_with_second_factor(client, staff)
    response = upload(client, badge, mixed_csv())
    job = BulkAward.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.total == 27
    assert [(row["line"], row["email"], row["name"]) for row in job.skipped] == [
        (line, email, name) for line, (email, name, _why) in BAD_LINES.items()
    ]
    assert not Award.objects.exists()

    page = client.get(job_url(job)).content.decode()
    assert "3 rows of 30 are not valid" in page
    assert "Award the 27 valid rows and skip the 3 others" in page
    assert "Fix the file and upload it again" in page
    assert "Download the skipped rows (CSV)" in page
    for email, _name, why in BAD_LINES.values():
        assert why in page
        assert email in page


def test_the_preview_lists_every_row_skipped_first_page_by_page(client, badge, staff):
    login_with_second_factor(client, staff)
    upload(client, badge, mixed_csv(good=150))
    job = BulkAward.objects.get()
    first = client.get(job_url(job)).context["page"]
    assert first.paginator.count == 153
    lines = [row["line"] for row in first.object_list]
    assert lines[:3] == [5, 12, 20]
    assert all(row.get("skip") for row in first.object_list[:3])
    assert not any(row.get("skip") for row in first.object_list[3:])
    second = client.get(job_url(job) + "?page=2").context["page"]
    seen = lines + [row["line"] for row in second.object_list]
    assert sorted(seen) == list(range(2, 155))


def test_the_skipped_rows_download_as_a_spreadsheet_safe_csv(client, badge, staff):
    login_with_second_factor(client, staff)
    upload(client, badge, mixed_csv())
    job = BulkAward.objects.get()
    response = client.get(job_url(job, "bulk_award_skipped"))
    assert response["Content-Type"].startswith("text/csv")
    assert "cohort-skipped.csv" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["line", "email", "name", "why"]
    assert [row[0] for row in table[1:]] == ["5", "12", "20"]
    assert table[2][2] == '\'=HYPERLINK("http://evil.example")'
    assert table[1][3] == "not a valid e-mail address"


@pytest.mark.parametrize("who", ["other_staff", "learner"])
def test_others_may_not_download_the_skipped_rows(client, badge, staff, who, request):
    rows, problems = bulk.check_csv(badge, mixed_csv())
    job = bulk.create_job(badge, rows, staff, "cohort.csv", skipped=problems)
    login_with_second_factor(client, request.getfixturevalue(who))
    assert client.get(job_url(job, "bulk_award_skipped")).status_code == 403


def test_awarding_the_valid_rows_never_awards_a_skipped_one(
    client, badge, staff, django_capture_on_commit_callbacks
):
    login_with_second_factor(client, staff)
    upload(client, badge, mixed_csv())
    job = BulkAward.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job, "bulk_award_start"))
        client.post(job_url(job, "bulk_award_start"))  # a double click
    job.refresh_from_db()
    assert job.status == BulkAward.Status.DONE
    assert Award.objects.filter(bulk_award=job).count() == 27
    assert not Award.objects.filter(recipient_email="mia@example.org").exists()
    page = words(client.get(job_url(job)).content.decode())
    assert "27 credentials issued" in page
    assert "3 rows skipped (not valid)" in page
    assert "Rows skipped as not valid" in page and "Noah Peeters" in page
    results = client.get(job_url(job, "bulk_award_results")).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(results)))
    assert [row[0] for row in table[1:]] == [str(n) for n in range(2, 32)]
    assert table[4][3] == "skipped: not a valid e-mail address"


def test_progress_counts_no_credential_as_issued_before_it_is_signed(badge, staff):
    """A chunk stores its awards, then signs them all: "26 issued" at 0 % was not true."""
    rows, _problems = bulk.check_csv(
        badge, ("email\r\n" + "".join(f"p{n}@example.org\r\n" for n in range(26))).encode()
    )
    job = bulk.create_job(badge, rows, staff, "cohort.csv")
    with mock.patch("credentials.tasks.run_bulk_award_chunk.delay"):
        bulk.start(job, staff)
    grants = [services.Grant(row["email"]) for row in rows]
    services.award_many(badge, grants, staff, bulk_award=job, bake=False)  # stored, not signed
    state = bulk.progress(job)
    assert (state["done"], state["awarded"], state["percent"]) == (0, 0, 0)


def test_a_small_upload_still_moves_in_steps():
    assert bulk.chunk_size_for(3) == bulk.MIN_CHUNK_SIZE
    assert bulk.chunk_size_for(26) == 10
    assert bulk.chunk_size_for(1000) == 100
    assert bulk.chunk_size_for(20_000) == bulk.CHUNK_SIZE
