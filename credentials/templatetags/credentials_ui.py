"""Template helpers for the credential pages (a fixed number of queries per page)."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from credentials.standards import eu_annex
from lib.language_names import in_sentence

register = template.Library()


@register.filter
def language_in_sentence(code: str) -> str:
    """``{{ code|language_in_sentence }}``: a language's name as a sentence writes it."""
    return in_sentence(code)


NOT_STATED = _lazy("Not stated")
NOT_APPLICABLE = _lazy("Not applicable")


@register.simple_tag
def competences_of(badge):
    """The competences a badge class aligns to, with their frameworks, in one query."""
    return badge.competences()


# How the award page shows an element, where it is not its field's (display) value: each
# takes the element and the award, and gives the row's value (and ``bullets`` or ``note``).
def _learner(element, award) -> dict:
    if award.names_learner:
        note = _(
            "identified in the credential by their name and a salted hash of their e-mail address"
        )
    else:
        note = _("identified in the credential by a salted hash of their e-mail address")
    return {"value": award.recipient_name or _("The holder of this credential"), "note": note}


def _date(element, award) -> dict:
    return {"value": date_filter(template_localtime(element.value_of(award)), "DATE_FORMAT")}


def _outcomes(element, award) -> dict:
    items = eu_annex.lines(element.value_of(award.badge_class))
    return {"value": "" if items else NOT_STATED, "bullets": items}


def _workload(element, award) -> dict:
    hours, credits = (getattr(award.badge_class, term.field) for term in element.terms)
    shown = [_("%(n)s hours") % {"n": localize(hours)}] if hours else []
    shown += [_("%(n)s ECTS credits") % {"n": localize(credits)}] if credits else []
    return {"value": " · ".join(shown) or NOT_STATED}


def _level(element, award) -> dict:
    level = element.value_of(award.badge_class, display=True)
    if not level:
        return {"value": NOT_APPLICABLE}
    return {"value": _("%(level)s (European Qualifications Framework)") % {"level": level}}


_SHOWN = {
    "learner": _learner,
    "date_of_issue": _date,
    "learning_outcomes": _outcomes,
    "workload": _workload,
    "level": _level,
}


@register.simple_tag
def eu_page_rows(award) -> list[dict]:
    """The EU micro-credential elements of ``award`` as its page lists them, from the table of
    :mod:`credentials.standards.eu_annex`: each a dict of ``label``, ``value``, ``optional``
    (Annex I part 2: shown only when there is a value) and maybe ``bullets`` (a list) or
    ``note``."""
    sources = {
        eu_annex.AWARD: award,
        eu_annex.BADGE: award.badge_class,
        eu_annex.ISSUER: award.badge_class.issuer,
    }
    rows = []
    for element in eu_annex.in_order(eu_annex.PAGE):
        optional = element.part == 2
        shown = _SHOWN.get(element.key)
        if shown:
            row = shown(element, award)
        else:
            value = element.value_of(sources[element.source], display=True)
            if not value and optional:
                continue
            row = {"value": localize(value) if value else NOT_STATED}
        label = element.label_in(eu_annex.PAGE)
        rows.append({"label": label, "optional": optional, "bullets": [], "note": "", **row})
    return rows
