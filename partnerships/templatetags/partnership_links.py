"""``{% institution_partnerships issuer as partnerships %}``: the partnerships an institution is a
member of, for the links on its staff's pages (templates/credentials/manage_badges.html). The
credentials app never imports partnerships; its template loads this tag."""

from __future__ import annotations

from django import template

from credentials.models import Issuer
from partnerships.models import Partnership

register = template.Library()


@register.simple_tag
def institution_partnerships(issuer: Issuer) -> list[Partnership]:
    """Its partnerships, by name, in one query."""
    return list(Partnership.objects.filter(members__issuer=issuer).order_by("name").distinct())
