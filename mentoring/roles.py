"""The mentor role: the name of its Django group, and a check that needs nothing from the site.

Roles are Django groups; ``cms.roles`` lists every role, grants and revokes them, and takes
``MENTORS`` from here, so the name is written once while mentoring never imports the site.
The check reads the person's groups through Django's own cache of ``user.groups`` (filled once
per user object by ``prefetch_related_objects``, emptied when groups are added or removed),
which ``cms.roles`` reads too: the navigation and mentoring share one query per request.
"""

from django.db.models import prefetch_related_objects

MENTORS = "Mentors"


def is_in_mentors_group(user) -> bool:
    if not user.is_authenticated:
        return False
    prefetch_related_objects([user], "groups")
    return any(group.name == MENTORS for group in user.groups.all())
