"""An editor builds a course with a lesson in the Wagtail admin; it appears in the catalogue."""

import pytest
from playwright.sync_api import Page, expect

from cms.services import mark_email_verified
from tests.browser.helpers import at_phone_width, check_page

PASSWORD = "a-long-unusual-passphrase"
WAGTAIL_OWN: list[str] = []  # the admin's own widgets we cannot change (none excluded yet)


@pytest.fixture
def editor_site(site):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    from cms import roles
    from cms.models import HomePage
    from credentials.frameworks import load_frameworks
    from credentials.models import Competency, Framework
    from learning import demo
    from tests.learning.conftest import make_issuer

    load_frameworks(Framework, Competency)
    make_issuer("northbridge")
    catalogue = demo.seed_catalogue(HomePage.objects.get())  # grants editors the catalogue
    editors = roles.group(roles.EDITORS)
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user = get_user_model().objects.create_user(
        email="emil@example.org", password=PASSWORD, display_name="Emil", is_staff=True
    )
    roles.grant(user, roles.EDITORS)
    mark_email_verified(user)  # he confirmed his address when he signed up
    site.catalogue_id = catalogue.pk
    return site


def publish(page: Page) -> None:
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()


def test_editor_builds_a_course_in_the_admin_and_it_appears_in_the_catalogue(
    page: Page, editor_site
):
    page.goto(editor_site.url + "/accounts/login/?next=/admin/")
    page.get_by_label("E-mail address").fill("emil@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "admin-dashboard", exclude=WAGTAIL_OWN)

    page.goto(f"{editor_site.url}/admin/pages/{editor_site.catalogue_id}/add_subpage/")
    check_page(page, "admin-new-course", exclude=WAGTAIL_OWN)
    page.get_by_role("textbox", name="Title*").fill("Prototyping with a partner")
    page.get_by_role("textbox", name="Summary*").fill(
        "Build and test a first prototype with a company."
    )
    page.get_by_label("Northbridge").check()
    page.get_by_label("Spotting opportunities").check()
    publish(page)
    expect(
        page.get_by_text("Page 'Prototyping with a partner' created and published")
    ).to_be_visible()

    from learning.models import CoursePage

    course = CoursePage.objects.get(title="Prototyping with a partner")
    assert course.live and course.institutions.get().slug == "northbridge"
    page.goto(f"{editor_site.url}/admin/pages/{course.pk}/add_subpage/")
    page.get_by_role("textbox", name="Title*").fill("Sketch the first prototype")
    page.get_by_role("textbox", name="Module").fill("Getting started")
    publish(page)
    expect(page.get_by_text("created and published")).to_be_visible()

    page.goto(editor_site.url + "/courses/")
    page.get_by_role("link", name="Prototyping with a partner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prototyping with a partner")
    expect(page.get_by_text("Sketch the first prototype")).to_be_visible()
    expect(page.get_by_text("Getting started")).to_be_visible()
    check_page(page, "course")
    at_phone_width(page)
    check_page(page, "course")
    page.get_by_role("link", name="Sketch the first prototype").click()
    check_page(page, "lesson-preview")
