from django import template
from wagtail.models import Site

from cms import roles

register = template.Library()


@register.inclusion_tag("cms/includes/navigation.html", takes_context=True)
def site_navigation(context):
    request = context["request"]
    site = Site.find_for_request(request)
    pages = []
    if site is not None:
        pages = site.root_page.get_children().live().in_menu().specific()
    return {"request": request, "menu_pages": pages, "user": request.user}


@register.filter
def has_role(user, role: str) -> bool:
    return roles.has_role(user, role)
