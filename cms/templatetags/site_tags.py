from django import template
from wagtail.models import Site

from cms import roles

register = template.Library()


def _top_pages(request) -> list:
    """The live children of the site's home page, read once per request."""
    if not hasattr(request, "_top_pages"):
        site = Site.find_for_request(request)
        request._top_pages = list(site.root_page.get_children().live()) if site else []
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
