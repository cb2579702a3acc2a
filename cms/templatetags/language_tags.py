"""The header's language switch, the page's hreflang alternates (cms/i18n.py), and the
language of a page's words where they are not the reader's (lib/translations.py)."""

import re

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join

from cms import i18n
from lib import translations

register = template.Library()

# Error pages answer any address, existing or not: they have no editions to point at.
ERROR_TEMPLATES = frozenset({"403.html", "404.html", "429.html", "500.html"})
NOINDEX = re.compile(r"<meta\b[^>]*\bname=[\"']?robots\b[^>]*\bnoindex", re.IGNORECASE)


@register.simple_tag(takes_context=True)
def language_links(context):
    """(code, name, path) of the current page in every language; [] without a request."""
    request = context.get("request")
    return i18n.alternates(request) if request is not None else []


class HeadNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        head = self.nodelist.render(context)
        request = context.get("request")
        top = getattr(context.template, "origin", None)
        if (
            request is None
            or getattr(top, "template_name", None) in ERROR_TEMPLATES
            or NOINDEX.search(head)
        ):
            return head
        links = format_html_join(
            "\n  ",
            '<link rel="alternate" hreflang="{}" href="{}">',
            i18n.hreflang(request),
        )
        return head + (format_html("\n  {}", links) if links else "")


@register.tag
def head_with_alternates(parser, token):
    """``{% head_with_alternates %}…{% end_head_with_alternates %}``: what it wraps (the head's
    own block), then ``<link rel="alternate" hreflang>`` for this page in every language and
    ``x-default``. Not on error pages, nor on a page whose head says ``noindex``, nor at an
    address that is the same in every language (cms.i18n.hreflang)."""
    nodelist = parser.parse(("end_head_with_alternates",))
    parser.delete_first_token()
    return HeadNode(nodelist)


@register.inclusion_tag("cms/includes/translation_notice.html", takes_context=True)
def translation_notice(context, page=None):
    """Say so when a page's words are not in the reader's language (no translation yet)."""
    page = page or context.get("page")
    language = translation.get_language() or settings.LANGUAGE_CODE
    fallback = translations.is_fallback(page, language) if page is not None else False
    return {"fallback": fallback, "reader_language": language}


@register.simple_tag(takes_context=True)
def words_lang(context, page=None):
    """`` lang="en"`` on an element holding a page's words when they are shown in their original
    language for want of a translation, so screen readers switch voice; nothing otherwise."""
    page = page or context.get("page")
    language = translation.get_language() or settings.LANGUAGE_CODE
    shown = translations.words_language(page, language) if page is not None else None
    return format_html(' lang="{}"', shown) if shown else ""
