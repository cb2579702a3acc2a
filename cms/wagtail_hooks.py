"""The Wagtail admin, site-wide: our corrections to its stylesheet."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.wagtail_hooks import check_view_restrictions

from lib import translations


@hooks.register("insert_global_admin_css")
def admin_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("on_serve_page")
def source_restrictions_apply_to_translations(callback):
    """A translation or alias of a restricted page is restricted the same way.

    Wagtail checks a page's own view restrictions and its ancestors'; the other languages'
    trees hold copies that carry none. Every page of another language is also checked against
    its source's (lib/translations.py), so /fr/… never shows what the source keeps private.
    """

    def inner(page, request, serve_args, serve_kwargs):
        source = translations.source_of(page)
        if source.pk == page.pk:
            return callback(page, request, serve_args, serve_kwargs)
        # Wagtail's own check, made on the source, serving this page when it lets us through.
        serve_this = lambda _source, *rest: callback(page, *rest)  # noqa: E731
        return check_view_restrictions(serve_this)(source, request, serve_args, serve_kwargs)

    return inner
