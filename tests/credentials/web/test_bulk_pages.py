"""The bulk award pages: upload and check, preview, start, progress, discard — and who may."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credentials.models import Award, BadgeClass, BulkAward
from credentials.services import bulk
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db


def upload_url(badge):
    return reverse("credentials_manage:badge_bulk_award", args=[badge.issuer.slug, badge.slug])


def job_url(job, name="bulk_award"):
    return reverse(f"credentials_manage:{name}", args=[job.badge_class.issuer.slug, job.public_id])


def csv_file(text: str, name: str = "people.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def job(badge, staff):
    rows, _ = bulk.check_csv(badge, b"email,name\nlena@example.org,Lena\nomar@example.org,Omar\n")
    return bulk.create_job(badge, rows, staff, "people.csv")


def test_staff_see_the_upload_page(client, badge, staff):
    login_with_second_factor(client, staff)
    response = client.get(upload_url(badge))
    assert response.status_code == 200
    assert "Download a template" in response.content.decode()


def test_the_template_is_a_csv_with_the_columns(client, badge, staff):
    login_with_second_factor(client, staff)
    response = client.get(
        reverse("credentials_manage:badge_bulk_template", args=[badge.issuer.slug, badge.slug])
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith(",".join(bulk.COLUMNS))


def test_a_good_file_leads_to_a_preview_and_awards_nobody_yet(client, badge, staff):
    login_with_second_factor(client, staff)
    response = client.post(upload_url(badge), {"file": csv_file("email\nlena@example.org\n")})
    job = BulkAward.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(job)
    assert job.status == BulkAward.Status.CHECKED
    assert not Award.objects.exists()


def test_a_file_without_a_valid_row_is_listed_by_line_and_nothing_is_stored(client, badge, staff):
    login_with_second_factor(client, staff)
    response = client.post(upload_url(badge), {"file": csv_file("email\nomar@\nlena-at-example\n")})
    page = response.content.decode()
    assert response.status_code == 400
    assert "2 rows need fixing" in page
    assert "lena-at-example" in page and "Not a valid e-mail address" in page
    assert not BulkAward.objects.exists()


def test_a_file_that_is_not_csv_gets_a_clear_error(client, badge, staff):
    login_with_second_factor(client, staff)
    response = client.post(upload_url(badge), {"file": csv_file("name\nLena\n")})
    assert response.status_code == 400
    assert "one called “email”" in response.content.decode()
    assert not BulkAward.objects.exists()


def test_uploading_without_a_file_is_refused(client, badge, staff):
    login_with_second_factor(client, staff)
    assert client.post(upload_url(badge), {}).status_code == 400


def test_a_draft_badge_sends_staff_back_to_publish_it(client, badge, staff):
    badge.status = BadgeClass.Status.DRAFT
    badge.save()
    login_with_second_factor(client, staff)
    response = client.get(upload_url(badge))
    assert response.status_code == 302
    assert not BulkAward.objects.exists()


def test_the_preview_counts_who_already_holds_the_badge(client, badge, staff, job):
    from credentials import services

    services.award(badge, "lena@example.org")
    login_with_second_factor(client, staff)
    page = client.get(job_url(job)).content.decode()
    assert "Award 1 credential" in page
    assert "already holds it" in page


def test_starting_awards_everyone_and_shows_the_summary(
    client, staff, job, django_capture_on_commit_callbacks
):
    login_with_second_factor(client, staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(job_url(job, "bulk_award_start"))
    assert response.status_code == 302
    assert Award.objects.filter(bulk_award=job).count() == 2
    page = client.get(job_url(job)).content.decode()
    assert "Done." in page


def test_the_status_answers_json_progress(client, staff, job):
    login_with_second_factor(client, staff)
    response = client.get(job_url(job, "bulk_award_status"))
    assert response["Cache-Control"] == "no-store"
    assert response.json()["total"] == 2
    assert response.json()["status"] == "checked"


def test_discarding_an_upload_deletes_it(client, staff, job):
    login_with_second_factor(client, staff)
    client.post(job_url(job, "bulk_award_discard"))
    assert not BulkAward.objects.exists()


def test_discarding_asks_for_confirmation_first(client, staff, job):
    login_with_second_factor(client, staff)
    response = client.get(job_url(job, "bulk_award_discard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Discard the upload" in page and 'method="post"' in page
    assert BulkAward.objects.filter(pk=job.pk).exists()


def test_a_started_job_cannot_be_discarded(client, staff, job):
    BulkAward.objects.filter(pk=job.pk).update(status=BulkAward.Status.DONE)
    login_with_second_factor(client, staff)
    client.post(job_url(job, "bulk_award_discard"))
    assert BulkAward.objects.filter(pk=job.pk).exists()


def test_start_only_answers_post(client, staff, job):
    login_with_second_factor(client, staff)
    assert client.get(job_url(job, "bulk_award_start")).status_code == 405


@pytest.mark.parametrize("who", ["other_staff", "learner"])
def test_others_may_not_upload(client, badge, who, request):
    login_with_second_factor(client, request.getfixturevalue(who))
    response = client.post(upload_url(badge), {"file": csv_file("email\nlena@example.org\n")})
    assert response.status_code == 403
    assert not BulkAward.objects.exists()


@pytest.mark.parametrize("who", ["other_staff", "learner"])
@pytest.mark.parametrize("name", ["bulk_award", "bulk_award_status"])
def test_others_may_not_see_a_job(client, job, who, name, request):
    login_with_second_factor(client, request.getfixturevalue(who))
    assert client.get(job_url(job, name)).status_code == 403


@pytest.mark.parametrize("who", ["other_staff", "learner"])
def test_others_may_not_start_a_job(client, job, who, request):
    login_with_second_factor(client, request.getfixturevalue(who))
    assert client.post(job_url(job, "bulk_award_start")).status_code == 403
    job.refresh_from_db()
    assert job.status == BulkAward.Status.CHECKED


def test_a_job_is_not_found_under_another_issuer(client, job, other_issuer, other_staff):
    login_with_second_factor(client, other_staff)
    url = reverse("credentials_manage:bulk_award", args=[other_issuer.slug, job.public_id])
    assert client.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, badge):
    response = client.get(upload_url(badge))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_preview_marks_the_rows_that_will_be_skipped(client, badge, staff, job):
    from credentials import services

    services.award(badge, "omar@example.org")
    login_with_second_factor(client, staff)
    rows = client.get(job_url(job)).context["page"].object_list
    assert [(row["email"], row["holds"]) for row in rows] == [
        ("lena@example.org", False),
        ("omar@example.org", True),
    ]


def test_nothing_to_award_offers_no_award_button(client, badge, staff, job):
    from credentials import services

    services.award(badge, "lena@example.org")
    services.award(badge, "omar@example.org")
    login_with_second_factor(client, staff)
    page = client.get(job_url(job)).content.decode()
    assert "there is nothing to award" in page
    assert "Award 0" not in page


def test_the_results_csv_says_what_happened_to_every_row(
    client, badge, staff, job, django_capture_on_commit_callbacks
):
    import csv
    import io

    from credentials import services

    earlier = services.award(badge, "omar@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(job, staff)
    login_with_second_factor(client, staff)
    response = client.get(job_url(job, "bulk_award_results"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(bulk.RESULT_COLUMNS)
    assert [(r[1], r[3]) for r in rows[1:]] == [
        ("lena@example.org", "awarded"),
        ("omar@example.org", "already held"),
    ]
    assert rows[2][5].endswith(f"/credentials/{earlier.public_id}/")


def test_the_results_csv_never_starts_a_cell_with_a_formula(badge, staff):
    rows, _ = bulk.check_csv(badge, b"email,name\nlena@example.org,=HYPERLINK(1)\n")
    job = bulk.create_job(badge, rows, staff)
    assert bulk.results(job)[1][2] == "'=HYPERLINK(1)"


@pytest.mark.parametrize("who", ["other_staff", "learner"])
def test_others_may_not_download_the_results(client, job, who, request):
    login_with_second_factor(client, request.getfixturevalue(who))
    assert client.get(job_url(job, "bulk_award_results")).status_code == 403
