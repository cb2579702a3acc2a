"""A partnership's headline figures, for pages that tell its story (case studies, its public
page): only when its members chose to publish them."""

from django import template
from django.utils import timezone

from partnerships.models import Partnership
from partnerships.services.impact import default_period, impact, partnership_scope

register = template.Library()


@register.inclusion_tag("partnerships/includes/headline_figures.html")
def headline_figures(partnership: Partnership, heading_level: int = 2) -> dict:
    """The last twelve months' enrolments, completions, awards and mentoring hours, or nothing
    when the partnership does not publish its figures."""
    if not partnership.publish_figures:
        return {"figures": None}
    figures = impact(partnership_scope(partnership), default_period(timezone.localdate()))
    return {
        "figures": figures,
        "partnership": partnership,
        "hours": round(figures.mentoring.industry_hours + figures.mentoring.academic_hours),
        "heading": "h3" if heading_level == 3 else "h2",
    }
