"""A badge class's language editions: issuer staff write them, anyone reads them as JSON.

* ``manage/<issuer>/badges/<badge>/editions/`` — the languages, which have an edition, which
  need a look since the original changed; write, rewrite or remove one (staff of the issuer
  only, with a second factor, as every issuer page).
* ``badges/<uuid>/editions/<lang>`` — the edition as the OB 3.0 ``Achievement`` credentials
  link as ``related`` (public, as the badge class itself).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from credentials.issuing import openbadges3
from credentials.services import editions
from credentials.web.forms_editions import EditionForm
from credentials.web.second_factor import second_factor_required
from credentials.web.views_issuer import _badge, _issuer, _url
from credentials.web.views_public import _badge as _public_badge
from credentials.web.views_public import _json
from lib import pagecache
from lib.language_names import in_sentence
from lib.pagecache import cache_anonymous


def _open_language(badge, language: str) -> str:
    """``language`` if an edition may be written in it; 404 for a language the site does not
    offer; the language of issue is the badge's own form."""
    if language not in dict(editions.languages_open(badge)):
        raise Http404(_("No edition in that language."))
    return language


@login_required
@second_factor_required
def edition_list(request: HttpRequest, slug: str, badge_slug: str) -> HttpResponse:
    issuer = _issuer(request, slug)
    badge = _badge(issuer, badge_slug)
    written = editions.editions_of(badge)
    rows = [
        {
            "code": code,
            "name": get_language_info(code)["name_translated"],
            "local": get_language_info(code)["name_local"],
            "edition": written.get(code),
        }
        for code, _name in editions.languages_open(badge)
    ]
    context = {
        "issuer": issuer,
        "badge": badge,
        "rows": rows,
        "written": len(written),
        "issue_language": in_sentence(badge.language),
    }
    return render(request, "credentials/editions.html", context)


@login_required
@second_factor_required
@require_http_methods(["GET", "POST"])
def edition_edit(request: HttpRequest, slug: str, badge_slug: str, language: str):
    issuer = _issuer(request, slug)
    badge = _badge(issuer, badge_slug)
    if language == badge.language:
        messages.info(request, _("These are the badge's own words, in its language of issue."))
        return redirect(_url("badge_edit", issuer.slug, badge.slug))
    language = _open_language(badge, language)
    edition = editions.editions_of(badge).get(language)
    form = EditionForm(request.POST or None, instance=edition, badge=badge, language=language)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                editions.save_edition(badge, language, form.words(), request.user)
            except editions.EditionError as error:
                for field, message in error.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("The %(language)s edition of “%(badge)s” is saved.")
                    % {"language": in_sentence(language), "badge": badge.name},
                )
                return redirect(_url("badge_editions", issuer.slug, badge.slug))
        status = 400
    context = {
        "issuer": issuer,
        "badge": badge,
        "form": form,
        "edition": edition,
        "language": language,
        "language_name": in_sentence(language),
        "issue_language": in_sentence(badge.language),
    }
    return render(request, "credentials/edition_form.html", context, status=status)


@login_required
@second_factor_required
@require_POST
def edition_delete(request: HttpRequest, slug: str, badge_slug: str, language: str):
    issuer = _issuer(request, slug)
    badge = _badge(issuer, badge_slug)
    if editions.delete_edition(badge, language, request.user):
        messages.success(
            request,
            _("The %(language)s edition is removed; credentials no longer show it.")
            % {"language": in_sentence(language)},
        )
    return redirect(_url("badge_editions", issuer.slug, badge.slug))


@require_safe
@cache_anonymous([pagecache.CREDENTIALS])
def badge_edition(request: HttpRequest, public_id, language: str) -> HttpResponse:
    badge = _public_badge(public_id)
    if language not in editions.editions_of(badge):
        raise Http404(_("No edition in that language."))
    return _json(request, openbadges3.edition_document(badge, language))


__all__ = ["badge_edition", "edition_delete", "edition_edit", "edition_list"]
