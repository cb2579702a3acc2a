from django import template
from django.conf import settings
from django.utils import translation
from wagtail.models import Site

from cms import roles
from lib import translations
from lib.i18n import supported, with_prefix

register = template.Library()


def _top_pages(request) -> list:
    """The live children of the site's home page, read once per request, in the reader's
    language: titles from their translations (else their own), addresses under its prefix."""
    if not hasattr(request, "_top_pages"):
        site = Site.find_for_request(request)
        pages = list(site.root_page.get_children().live()) if site else []
        language = supported(translation.get_language()) or settings.LANGUAGE_CODE
        shown = translations.in_language_many(pages, language)
        for page in shown:
            page.menu_url = with_prefix(page.get_url(request) or "/", language)
        request._top_pages = shown
    return request._top_pages


@register.inclusion_tag("cms/includes/navigation.html", takes_context=True)
def site_navigation(context):
    request = context["request"]
    pages = [page for page in _top_pages(request) if page.show_in_menus]
    return {"request": request, "menu_pages": pages, "user": request.user}


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """The site's other top-level pages (about, for mentors…), listed in the footer."""
    return [page for page in _top_pages(context["request"]) if not page.show_in_menus]


@register.filter
def has_role(user, role: str) -> bool:
    return roles.has_role(user, role)
