"""For the MFA pages (templates/mfa/): data for allauth's WebAuthn script without an inline
<script> block (the Content-Security-Policy allows none)."""

import json

from django import template

register = template.Library()


@register.filter
def as_json(value) -> str:
    """``value`` as JSON text; autoescaping keeps it inert inside an element or attribute."""
    return json.dumps(value)
