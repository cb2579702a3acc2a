"""The header's language switch and the page's hreflang alternates (cms/i18n.py)."""

from django import template

from cms import i18n

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """(code, name, path) of the current page in every language; [] without a request."""
    request = context.get("request")
    return i18n.alternates(request) if request is not None else []
