"""Template helpers for the credential pages (a fixed number of queries per page)."""

from django import template

register = template.Library()


@register.simple_tag
def competences_of(badge):
    """The competences a badge class aligns to, with their frameworks, in one query."""
    return badge.competences()
