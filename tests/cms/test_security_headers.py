"""Every kind of page sends a Content-Security-Policy, and outside the admins it allows no
inline script or style (cms/csp.py, CONTENT_SECURITY_POLICY in cms/settings/base.py)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from cms import roles
from credentials import services as credentials_services
from learning import demo as learning_demo
from learning.models import CoursePage
from tests.credentials import factories
from tests.credentials.second_factor_support import login_with_second_factor

ROOT = Path(__file__).resolve().parents[2]
INLINE = ("'unsafe-inline'", "'unsafe-eval'")
SCRIPT_AND_STYLE = (
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
)


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(directives: dict[str, list[str]]) -> None:
    for name in SCRIPT_AND_STYLE:
        for source in directives.get(name, []):
            assert source not in INLINE, f"{name} allows {source}"
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.fixture
def headers_member(make_user):
    return make_user("mira@example.org", roles.LEARNERS, display_name="Mira")


@pytest.fixture
def headers_pages(home_page, headers_member):
    """One page of each kind: a course, a credential (public), and the member who holds it."""
    catalogue = learning_demo.seed_catalogue(home_page)
    course = CoursePage(slug="headers-course", title="Headers course", summary="A course.")
    catalogue.add_child(instance=course)
    badge = factories.make_badge(factories.make_issuer("headers-uni"), "headers-badge")
    award = credentials_services.award(badge, headers_member)
    award.is_public = True
    award.save(update_fields=["is_public"])
    return {
        "home": "/",
        "course": CoursePage.objects.get(slug="headers-course").url,
        "credential": f"/credentials/{award.public_id}/",
        "verify": "/verify/",
        "account": "/accounts/",
        "api docs": "/api/v1/docs",
        "api reference": "/api/v1/redoc",
        "error": "/no-such-page/",
    }


@pytest.mark.django_db
def test_each_kind_of_page_sends_a_policy_with_no_inline_script_or_style(
    client, headers_pages, headers_member
):
    client.force_login(headers_member)
    statuses = {}
    for kind, url in headers_pages.items():
        response = client.get(url)
        statuses[kind] = response.status_code
        assert_strict(policy(response))
    assert statuses == {kind: 404 if kind == "error" else 200 for kind in headers_pages}


@pytest.mark.django_db
def test_an_outsider_gets_the_same_policy_on_public_pages_and_error_pages(client, headers_pages):
    for kind in ("home", "credential", "verify", "error"):
        assert_strict(policy(client.get(headers_pages[kind])))
    # Login and sign-up (allauth's pages) are public too.
    assert_strict(policy(client.get("/accounts/login/")))


@pytest.mark.django_db
def test_a_path_that_merely_starts_like_the_admin_gets_no_admin_relaxation(client, home_page):
    for url in ("/administrators/", "/django-admins/", "/no/admin/"):
        assert_strict(policy(client.get(url)))


@pytest.mark.django_db
def test_the_admins_allow_inline_scripts_and_framing_by_ourselves_but_no_inline_style(
    client, superuser, home_page
):
    client.force_login(superuser)
    for url in ("/admin/", "/django-admin/", f"/admin/pages/{home_page.pk}/edit/"):
        directives = policy(client.get(url))
        assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_wagtails_preview_frame_gets_the_admin_policy_not_the_public_pages(
    client, superuser, home_page
):
    """Wagtail renders a preview through the middleware with a request for the page's own URL:
    without cms/csp.py the public page's frame-ancestors 'none' would blank the preview."""
    login_with_second_factor(client, superuser)
    response = client.get(f"/admin/pages/{home_page.pk}/edit/preview/?in_preview_panel=true")
    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_only_the_verifier_page_shows_images_from_other_https_origins(client, home_page):
    assert "https:" in policy(client.get("/verify/"))["img-src"]
    for url in ("/", "/api/v1/docs", "/no-such-page/"):
        assert "https:" not in policy(client.get(url))["img-src"]


@pytest.mark.django_db
def test_sign_in_may_be_redirected_to_a_configured_identity_provider_only(
    client, home_page, settings
):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **django_settings.SOCIALACCOUNT_PROVIDERS,
        "openid_connect": {
            "APPS": [
                {"provider_id": "uni", "settings": {"server_url": "https://idp.uni.example/r/x"}},
                {"provider_id": "bad", "settings": {"server_url": "javascript:alert(1)"}},
            ]
        },
        "saml": {"APPS": [{"settings": {"idp": {"sso_url": "https://sso.other.example/sso"}}}]},
    }
    form_action = policy(client.get("/"))["form-action"]
    assert form_action == ["'self'", "https://idp.uni.example", "https://sso.other.example"]


@pytest.mark.django_db
def test_redoc_may_use_styles_with_this_requests_nonce_and_no_other_inline_code(client):
    first, second = client.get("/api/v1/redoc"), client.get("/api/v1/redoc")
    nonces = []
    for response in (first, second):
        directives = policy(response)
        assert_strict(directives)
        nonce = re.search(r'data-nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in directives["style-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    # The nonce is for that page only: Swagger UI needs none.
    assert not [s for s in policy(client.get("/api/v1/docs"))["style-src"] if "nonce" in s]


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/docs", "/api/v1/redoc"])
def test_the_api_docs_load_nothing_from_another_origin(client, url):
    response = client.get(url)
    assert response.status_code == 200
    links = Links()
    links.feed(response.content.decode())
    assert links.urls, "the page loads its scripts and styles"
    outside = [u for u in links.urls if re.match(r"^([a-z][a-z0-9+.-]*:)?//", u, re.I)]
    assert outside == []
    assert all(u.startswith("/static/") or u.startswith("/api/v1/") for u in links.urls)


# What the policy would block, found in the templates before a browser meets it. E-mail
# templates are exempt: mail clients need inline styles, and no page serves them.
INLINE_IN_TEMPLATES = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"
    r"|<style\b|\sstyle=|\son[a-z]+\s*=",
    re.IGNORECASE,
)


def test_no_template_has_an_inline_script_style_or_event_handler():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if "/email/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_IN_TEMPLATES.search(line):
                found.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert found == []


def test_the_template_check_finds_each_kind_of_inline_code():
    for snippet in (
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        "<style>p{}</style>",
        '<p style="margin:0">',
        '<input onclick="this.select()">',
    ):
        assert INLINE_IN_TEMPLATES.search(snippet), snippet
    for snippet in (
        '<script src="/static/js/site.js" defer></script>',
        '<script type="application/json" id="x">{}</script>',
        '<p class="flush" data-once>',
    ):
        assert not INLINE_IN_TEMPLATES.search(snippet), snippet
