"""Fixtures shared by the credentials tests (defined in formats_support.py).

Test modules may define fixtures of the same names; theirs win inside that module.
"""

from tests.credentials.forgery_support import (  # noqa: F401 - fixtures
    loopback_fetch,
    mallory_server,
    northbridge,
    northbridge_award,
    northbridge_badge,
)
from tests.credentials.formats_support import (  # noqa: F401 - fixtures
    badge,
    competences,
    french_edition,
    given,
    media_root,
    other_issuer,
    other_learner,
    other_staff,
    server,
    signed,
    staff,
    uni,
    verify_isolation,
)
