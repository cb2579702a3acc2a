"""IANA time zones: the validator and the choices for forms.

Mentoring owns calendars, so the site (``cms``: the user's own time zone) takes these from here.
"""

import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone (for example Europe/Berlin)."),
            params={"value": value},
        )
