"""Issuer staff's pages: badge classes, publishing, awarding, revoking, the award list."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cms import roles
from credentials import services
from credentials.models import Award, BadgeClass, Competency, Issuer
from credentials.services.publishing import missing_elements
from credentials.standards import eu_annex
from credentials.web.forms import EU_ELEMENT_FIELDS, FROM_EACH_AWARD, eu_checklist
from tests.credentials.factories import make_badge, make_issuer
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    return make_issuer("company", kind=Issuer.Kind.COMPANY)


@pytest.fixture
def sofia(make_user, uni):
    user = make_user("staff@uni.example", roles.ISSUER_STAFF, display_name="Sofia")
    uni.staff.add(user)
    return user


@pytest.fixture
def company_staff(make_user, company):
    user = make_user("staff@company.example", roles.ISSUER_STAFF)
    company.staff.add(user)
    return user


@pytest.fixture
def uni_founder_badge(uni):
    return make_badge(uni, "founder")


def url(name, *args):
    return reverse(f"credentials_manage:{name}", args=args)


def png_upload(size=(256, 256), name="badge.png"):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 80, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def badge_data(**changes):
    data = {
        "name": "Co-creation Lead",
        "slug": "",
        "description": "Leads co-creation projects with industry.",
        "achievement_type": "Badge",
        "tags": "co-creation, leadership, co-creation",
        "criteria_narrative": "Lead a project to its end.",
        "criteria_url": "",
        "learning_outcomes": "",
        "workload_hours": "",
        "ects_credits": "",
        "eqf_level": "",
        "assessment_type": "",
        "participation_form": "",
        "quality_assurance": "",
        "validity_days": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


COMPLETE_EU = {
    "is_micro_credential": "on",
    "learning_outcomes": "Run a co-creation sprint\nAgree IP terms",
    "workload_hours": "50",
    "assessment_type": "Portfolio",
    "participation_form": "blended",
    "quality_assurance": "Internal QA",
}


# Who may enter


@pytest.mark.parametrize(
    "name,args",
    [
        ("badges", ("uni",)),
        ("badge_new", ("uni",)),
        ("badge", ("uni", "founder")),
        ("badge_edit", ("uni", "founder")),
        ("badge_award", ("uni", "founder")),
        ("awards", ("uni",)),
    ],
)
def test_staff_of_another_issuer_get_403_on_every_page(
    client, uni_founder_badge, company_staff, name, args
):
    login_with_second_factor(client, company_staff)
    assert client.get(url(name, *args)).status_code == 403


def test_a_learner_gets_403(client, uni_founder_badge, learner):
    client.force_login(learner)
    assert client.get(url("badges", "uni")).status_code == 403
    assert client.get(url("home")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, uni_founder_badge):
    response = client.get(url("badges", "uni"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_superuser_manages_every_issuer(client, uni_founder_badge, company, superuser):
    login_with_second_factor(client, superuser)
    assert client.get(url("badges", "uni")).status_code == 200
    assert client.get(url("badges", "company")).status_code == 200
    assert client.get(url("home")).status_code == 200  # a choice of two


def test_staff_of_one_issuer_are_taken_straight_to_its_badges(client, sofia):
    login_with_second_factor(client, sofia)
    assert client.get(url("home"))["Location"] == url("badges", "uni")
    assert client.get(url("awards_home"))["Location"] == url("awards", "uni")


def test_an_unknown_issuer_is_404(client, superuser):
    login_with_second_factor(client, superuser)
    assert client.get(url("badges", "nowhere")).status_code == 404


def test_the_badge_list_shows_only_this_issuers_badges(client, sofia, uni_founder_badge, company):
    make_badge(company, "company-only", name="Company Only")
    login_with_second_factor(client, sofia)
    response = client.get(url("badges", "uni"))
    assert "Founder" in response.text
    assert "Company Only" not in response.text


# Creating and editing badge classes


def test_staff_create_a_draft_badge_with_a_normalised_image(client, sofia, uni):
    login_with_second_factor(client, sofia)
    data = badge_data(image=png_upload((300, 150)))
    response = client.post(url("badge_new", "uni"), data)
    assert response.status_code == 302
    badge = BadgeClass.objects.get(issuer=uni)
    assert response["Location"] == url("badge", "uni", badge.slug)
    assert badge.slug == "co-creation-lead"
    assert badge.status == BadgeClass.Status.DRAFT
    assert badge.tags == ["co-creation", "leadership"]
    with badge.image.open("rb") as handle:
        assert Image.open(handle).size == (512, 512)


def test_a_badge_with_an_svg_image_keeps_it_as_svg(client, sofia, uni):
    login_with_second_factor(client, sofia)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'
    image = SimpleUploadedFile("b.svg", svg, content_type="image/svg+xml")
    assert client.post(url("badge_new", "uni"), badge_data(image=image)).status_code == 302
    assert BadgeClass.objects.get(issuer=uni).image.name.endswith(".svg")


def test_an_upload_that_is_not_an_image_is_refused_and_nothing_is_stored(client, sofia, uni):
    login_with_second_factor(client, sofia)
    fake = SimpleUploadedFile("badge.png", b"%PDF-1.7 not a picture", content_type="image/png")
    response = client.post(url("badge_new", "uni"), badge_data(image=fake))
    assert response.status_code == 400
    assert "PDF document" in response.text
    assert not BadgeClass.objects.exists()


def test_a_decompression_bomb_upload_is_refused(client, sofia, uni):
    from tests.credentials.issuing.test_images import png_declaring

    login_with_second_factor(client, sofia)
    bomb = SimpleUploadedFile("b.png", png_declaring(90_000, 90_000), content_type="image/png")
    response = client.post(url("badge_new", "uni"), badge_data(image=bomb))
    assert response.status_code == 400
    assert "decompression bomb" in response.text
    assert not BadgeClass.objects.exists()


def test_a_badge_without_its_required_fields_is_refused(client, sofia, uni):
    login_with_second_factor(client, sofia)
    response = client.post(
        url("badge_new", "uni"), badge_data(name="", description="", criteria_narrative="")
    )
    assert response.status_code == 400
    assert response.text.count("This field is required.") == 3
    assert not BadgeClass.objects.exists()


def test_a_slug_already_used_by_the_issuer_is_refused_when_chosen(client, sofia, uni_founder_badge):
    login_with_second_factor(client, sofia)
    response = client.post(url("badge_new", "uni"), badge_data(slug="founder"))
    assert response.status_code == 400
    assert "already has a badge" in response.text
    assert BadgeClass.objects.count() == 1


def test_a_generated_slug_that_is_taken_gets_a_number(client, sofia, uni_founder_badge):
    login_with_second_factor(client, sofia)
    client.post(url("badge_new", "uni"), badge_data(name="Founder"))
    assert BadgeClass.objects.filter(slug="founder-2").exists()


def test_staff_edit_a_badge_and_keep_its_image(client, sofia, uni):
    login_with_second_factor(client, sofia)
    client.post(url("badge_new", "uni"), badge_data(image=png_upload()))
    badge = BadgeClass.objects.get()
    image_name = badge.image.name
    response = client.post(
        url("badge_edit", "uni", badge.slug), badge_data(name="Renamed", slug=badge.slug)
    )
    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.name == "Renamed"
    assert badge.image.name == image_name


def test_competences_are_saved_as_alignments(client, sofia, uni):
    chosen = list(Competency.objects.filter(framework__code="entrecomp")[:2])
    login_with_second_factor(client, sofia)
    data = badge_data()
    data["alignments"] = [c.pk for c in chosen]
    client.post(url("badge_new", "uni"), data)
    assert set(BadgeClass.objects.get().alignments.all()) == set(chosen)


def test_the_form_page_shows_preview_and_checklist(client, sofia):
    login_with_second_factor(client, sofia)
    response = client.get(url("badge_new", "uni"))
    assert response.status_code == 200
    assert "data-badge-preview" in response.text
    assert 'data-element="learning outcomes"' in response.text
    assert 'data-eu-element="notional workload"' in response.text


def test_the_checklist_names_every_element_publishing_requires():
    required = missing_elements(BadgeClass())
    items = eu_checklist(BadgeClass())
    assert [item["label"] for item in items] == [*required, *FROM_EACH_AWARD]
    fields = {f for names in EU_ELEMENT_FIELDS.values() for f in names}
    assert fields <= {f.name for f in BadgeClass._meta.get_fields()}


def test_the_checklist_and_the_eu_sections_of_the_form_come_from_the_eu_table(client, sofia):
    mandatory = {e.label_in(eu_annex.TEXT): e for e in eu_annex.MANDATORY}
    for item in eu_checklist(BadgeClass()):
        element = mandatory.pop(item["label"])
        from_form = element.source == eu_annex.BADGE
        assert item["fields"] == (" ".join(element.fields) if from_form else "")
    assert mandatory == {}
    login_with_second_factor(client, sofia)
    page = client.get(url("badge_new", "uni")).text
    for element in eu_annex.ELEMENTS:
        if element.part and element.source == eu_annex.BADGE:
            assert f'name="{element.fields[-1]}"' in page
        if element.mandatory and element.source == eu_annex.BADGE:
            assert f'data-eu-element="{element.label_in(eu_annex.TEXT)}"' in page
    hours = eu_annex.element("workload").terms[0].field
    assert f'data-preview-target="{hours}" data-preview-format="hours"' in page
    assert f'name="{hours}"' in page and f'data-preview="{hours}"' in page


def test_the_checklist_ticks_what_a_badge_has(uni):
    badge = BadgeClass(issuer=uni, name="X", learning_outcomes="One", workload_hours=3)
    present = {item["label"]: item["present"] for item in eu_checklist(badge)}
    assert present["learning outcomes"] and present["notional workload"]
    assert present["country of the issuer"] and present["awarding body"]
    assert not present["type of assessment"]


def test_editing_a_published_micro_credential_cannot_drop_a_mandatory_element(client, sofia, uni):
    badge = make_badge(
        uni, "micro", is_micro_credential=True, learning_outcomes="A", workload_hours=5,
        assessment_type="Exam", participation_form="online", quality_assurance="QA",
    )  # fmt: skip
    login_with_second_factor(client, sofia)
    data = badge_data(name=badge.name, slug="micro", **{**COMPLETE_EU, "quality_assurance": ""})
    response = client.post(url("badge_edit", "uni", "micro"), data)
    assert response.status_code == 400
    assert "type of quality assurance" in response.text
    badge.refresh_from_db()
    assert badge.quality_assurance == "QA"


# Publishing


def test_publishing_a_micro_credential_with_missing_elements_lists_them(client, sofia, uni):
    login_with_second_factor(client, sofia)
    client.post(url("badge_new", "uni"), badge_data(is_micro_credential="on"))
    badge = BadgeClass.objects.get()
    response = client.post(url("badge_publish", "uni", badge.slug))
    assert response.status_code == 400
    for label in ("Learning outcomes", "Notional workload", "Type of quality assurance"):
        assert label in response.text
    badge.refresh_from_db()
    assert badge.status == BadgeClass.Status.DRAFT


def test_publishing_a_complete_micro_credential(client, sofia, uni):
    login_with_second_factor(client, sofia)
    client.post(url("badge_new", "uni"), badge_data(**COMPLETE_EU))
    badge = BadgeClass.objects.get()
    response = client.post(url("badge_publish", "uni", badge.slug))
    assert response.status_code == 302
    badge.refresh_from_db()
    assert badge.status == BadgeClass.Status.PUBLISHED
    assert badge.published_by == sofia


def test_staff_of_another_issuer_cannot_publish(client, company_staff, uni):
    draft = make_badge(uni, "draft", status=BadgeClass.Status.DRAFT)
    login_with_second_factor(client, company_staff)
    assert client.post(url("badge_publish", "uni", "draft")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == BadgeClass.Status.DRAFT


def test_publishing_needs_post(client, sofia, uni_founder_badge):
    login_with_second_factor(client, sofia)
    assert client.get(url("badge_publish", "uni", "founder")).status_code == 405


# Awarding


REPORT = "https://uni.example/reports/1"


def test_staff_award_a_badge_to_an_existing_user_with_evidence(
    client, sofia, uni_founder_badge, learner
):
    login_with_second_factor(client, sofia)
    response = client.post(
        url("badge_award", "uni", "founder"),
        {
            "email": "  LENA@example.org ",
            "evidence_name": "Final report",
            "evidence_url": REPORT,
            "evidence_narrative": "Led the pilot.",
        },
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.recipient == learner
    assert award.awarded_by == sofia
    assert award.evidence == [
        {"name": "Final report", "url": REPORT, "narrative": "Led the pilot."}
    ]


def test_staff_award_to_an_e_mail_without_an_account(client, sofia, uni_founder_badge):
    login_with_second_factor(client, sofia)
    client.post(url("badge_award", "uni", "founder"), {"email": "new@person.example"})
    award = Award.objects.get()
    assert award.recipient is None
    assert award.recipient_email == "new@person.example"


def test_awarding_to_a_malformed_e_mail_is_refused_and_nothing_is_stored(
    client, sofia, uni_founder_badge
):
    login_with_second_factor(client, sofia)
    response = client.post(url("badge_award", "uni", "founder"), {"email": "not-an-address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert not Award.objects.exists()


def test_awarding_twice_gives_one_award_and_says_so(client, sofia, uni_founder_badge, learner):
    login_with_second_factor(client, sofia)
    client.post(url("badge_award", "uni", "founder"), {"email": learner.email})
    response = client.post(
        url("badge_award", "uni", "founder"), {"email": learner.email}, follow=True
    )
    assert Award.objects.count() == 1
    assert "already holds it" in response.text


def test_a_draft_badge_cannot_be_awarded(client, sofia, uni):
    make_badge(uni, "draft", status=BadgeClass.Status.DRAFT)
    login_with_second_factor(client, sofia)
    response = client.post(url("badge_award", "uni", "draft"), {"email": "a@b.example"})
    assert response.status_code == 302
    assert not Award.objects.exists()


def test_staff_of_another_issuer_cannot_award(client, company_staff, uni_founder_badge):
    login_with_second_factor(client, company_staff)
    response = client.post(url("badge_award", "uni", "founder"), {"email": "a@b.example"})
    assert response.status_code == 403
    assert not Award.objects.exists()


# Revoking


@pytest.fixture
def plain_award(uni_founder_badge, learner):
    return services.award(uni_founder_badge, learner)


def test_staff_revoke_with_a_reason(client, sofia, plain_award):
    login_with_second_factor(client, sofia)
    response = client.post(
        url("award_revoke", "uni", plain_award.public_id), {"reason": "Plagiarised report."}
    )
    assert response.status_code == 302
    plain_award.refresh_from_db()
    assert plain_award.is_revoked
    assert plain_award.revocation_reason == "Plagiarised report."
    assert plain_award.revoked_by == sofia


def test_revoking_without_a_reason_is_refused(client, sofia, plain_award):
    login_with_second_factor(client, sofia)
    response = client.post(url("award_revoke", "uni", plain_award.public_id), {"reason": "   "})
    assert response.status_code == 400
    plain_award.refresh_from_db()
    assert not plain_award.is_revoked


def test_staff_of_another_issuer_cannot_revoke(client, company_staff, plain_award):
    login_with_second_factor(client, company_staff)
    response = client.post(
        url("award_revoke", "uni", plain_award.public_id), {"reason": "Mine now."}
    )
    assert response.status_code == 403
    plain_award.refresh_from_db()
    assert not plain_award.is_revoked


def test_an_award_of_another_issuer_is_404_under_this_issuer(client, sofia, company, learner):
    theirs = services.award(make_badge(company, "theirs"), learner)
    login_with_second_factor(client, sofia)
    response = client.post(url("award_revoke", "uni", theirs.public_id), {"reason": "No."})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_revoked


# The award list


@pytest.fixture
def many_awards(uni, uni_founder_badge, company):
    other = make_badge(uni, "mentor-badge", name="Mentor Badge", validity_days=10)
    now = timezone.now()
    made = []
    for i in range(6):
        made.append(
            services.award(
                uni_founder_badge, f"person{i}@example.org", issued_on=now - timedelta(days=i)
            )
        )
    made.append(services.award(other, "old@example.org", issued_on=now - timedelta(days=40)))
    made.append(services.award(make_badge(company, "x"), "elsewhere@example.org"))
    services.revoke(made[0], "Wrong person.", by=None)
    return made


def rows(response):
    return [award.recipient_email for award, _ in response.context["rows"]]


def test_the_award_list_counts_issued_and_revoked_for_this_issuer(client, sofia, many_awards):
    login_with_second_factor(client, sofia)
    response = client.get(url("awards", "uni"))
    assert response.context["totals"] == {"issued": 7, "revoked": 1}
    assert "elsewhere@example.org" not in rows(response)


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"status": "revoked"}, ["person0@example.org"]),
        ({"status": "expired"}, ["old@example.org"]),
        ({"q": "PERSON3"}, ["person3@example.org"]),
    ],
)
def test_the_award_list_filters(client, sofia, many_awards, query, expected):
    login_with_second_factor(client, sofia)
    assert rows(client.get(url("awards", "uni"), query)) == expected


def test_the_award_list_filters_by_badge_and_date(client, sofia, many_awards, uni_founder_badge):
    login_with_second_factor(client, sofia)
    today = timezone.localdate()
    query = {"badge": uni_founder_badge.pk, "issued_from": (today - timedelta(days=2)).isoformat()}
    assert len(rows(client.get(url("awards", "uni"), query))) == 3
    query = {"issued_to": (today - timedelta(days=30)).isoformat()}
    assert rows(client.get(url("awards", "uni"), query)) == ["old@example.org"]


def test_the_award_list_runs_a_fixed_number_of_queries(
    client, sofia, uni_founder_badge, django_assert_max_num_queries
):
    login_with_second_factor(client, sofia)
    for i in range(3):
        services.award(uni_founder_badge, f"a{i}@example.org")
    with django_assert_max_num_queries(20) as few:
        client.get(url("awards", "uni"))
    for i in range(3, 30):
        services.award(uni_founder_badge, f"a{i}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("awards", "uni"))


def test_the_badge_list_runs_a_fixed_number_of_queries(
    client, sofia, uni, django_assert_max_num_queries
):
    login_with_second_factor(client, sofia)
    make_badge(uni, "one")
    with django_assert_max_num_queries(20) as few:
        client.get(url("badges", "uni"))
    for i in range(10):
        make_badge(uni, f"b{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("badges", "uni"))


# The Wagtail admin menu


def test_the_admin_menu_links_superusers_to_badge_classes_and_awards(client, superuser, uni):
    login_with_second_factor(client, superuser)
    text = client.get("/admin/").text
    assert "Badge classes" in text and url("home") in text
    assert url("awards_home") in text


def test_the_admin_menu_hides_the_entries_from_editors_who_act_for_no_issuer(client, make_user):
    editor = make_user("ed@example.org", roles.EDITORS, is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert url("awards_home") not in response.text


def test_the_slug_new_is_reserved_for_the_create_page(client, sofia, uni):
    login_with_second_factor(client, sofia)
    response = client.post(url("badge_new", "uni"), badge_data(slug="new"))
    assert response.status_code == 400
    assert "reserved" in response.text
    client.post(url("badge_new", "uni"), badge_data(name="New"))
    assert BadgeClass.objects.get().slug == "new-2"


def test_badge_list_shows_how_often_verifiers_checked_each_badge(
    client, django_user_model, learner
):
    from datetime import date

    from credentials.issuing import links
    from credentials.services import verifications
    from tests.credentials.factories import make_badge, make_issuer

    issuer = make_issuer("verifycount")
    staff = django_user_model.objects.create_user(email="vc@verifycount.example", password="x")
    issuer.staff.add(staff)
    badge = make_badge(issuer, "checked")
    unchecked = make_badge(issuer, "unchecked")
    award = services.award(badge, learner, awarded_by=staff)
    for who, day in (("a", 1), ("a", 1), ("b", 1), ("a", 2)):
        verifications.record_check(
            credential_id=links.award_url(award),
            issuer_id=links.issuer_profile_url(issuer),
            verdict="valid",
            verifier=verifications.verifier_key(day=date(2026, 5, day), address=who),
            day=date(2026, 5, day),
        )
    login_with_second_factor(client, staff)
    html = client.get(f"/credentials/manage/{issuer.slug}/badges/").content.decode()
    assert "checked 3 times by verifiers (each counted once a day)" in html
    assert "by employers" not in html
    assert unchecked.name in html and "not checked by a verifier yet" in html
