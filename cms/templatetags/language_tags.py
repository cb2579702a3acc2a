"""The header's language switch and the page's hreflang alternates (cms/i18n.py)."""

from django import template
from django.conf import settings
from django.utils import translation

from cms import i18n
from lib import translations

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """(code, name, path) of the current page in every language; [] without a request."""
    request = context.get("request")
    return i18n.alternates(request) if request is not None else []


@register.inclusion_tag("cms/includes/translation_notice.html", takes_context=True)
def translation_notice(context, page=None):
    """Say so when a page's words are not in the reader's language (no translation yet)."""
    page = page or context.get("page")
    language = translation.get_language() or settings.LANGUAGE_CODE
    fallback = translations.is_fallback(page, language) if page is not None else False
    return {"fallback": fallback, "reader_language": language}
