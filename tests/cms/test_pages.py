import pytest
from django.test import Client

from tests.credentials.second_factor_support import login_with_second_factor


@pytest.mark.django_db
def test_home_page_explains_the_platform_to_each_visitor(client, home_page):
    html = client.get("/").content.decode()
    for audience in ("For learners", "For mentors", "For institutions", "For employers"):
        assert audience in html
    for link in (
        'href="/accounts/signup/"',
        'href="/for-mentors/"',
        'href="/institutions/"',
        'href="/for-employers/"',
    ):
        assert link in html


@pytest.mark.django_db
def test_home_page_has_landmarks_and_a_skip_link(client, home_page):
    html = client.get("/").content.decode()
    for marker in ('href="#main"', "<header", "<nav", '<main id="main"', "<footer"):
        assert marker in html


@pytest.mark.django_db
def test_footer_lists_the_other_top_level_pages(client, home_page):
    footer = client.get("/").content.decode().split("<footer")[1]
    assert 'href="/about/"' in footer and 'href="/for-employers/"' in footer


@pytest.mark.django_db
def test_standard_page_renders_its_body(client, home_page):
    response = client.get("/for-employers/")
    assert response.status_code == 200
    assert "What a verification checks" in response.content.decode()


@pytest.mark.django_db
def test_unknown_url_gets_the_designed_404_page(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.cms.error_urls")
def test_server_error_gets_the_designed_500_page(home_page):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_pages_use_no_external_cdn(client, home_page):
    html = client.get("/").content.decode()
    assert "https://" not in html.split("<body")[0]


@pytest.mark.django_db
def test_wagtail_admin_is_at_admin(client, superuser, home_page):
    login_with_second_factor(client, superuser)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_learners_cannot_enter_the_wagtail_admin(client, learner, home_page):
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 302
