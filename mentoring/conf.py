"""Every setting the mentoring app reads: its default, what it means, how its environment
variable reads. Read them as ``from mentoring.conf import settings as conf``; an undeclared name
fails. The README's settings table lists each (a test checks it). Celery's beat schedule stays
in ``cms/settings/base.py``.
"""

from lib.appsettings import AppSettings, Setting, as_bool

settings = AppSettings(
    "mentoring",
    MENTORING_DUE_WORK_IN_PROCESS=Setting(
        False,
        "Without Celery beat, send due session reminders and feedback requests from a thread of "
        "the web process, every minute once the first request arrives. On under `make run`; "
        "production runs beat.",
        as_bool,
    ),
    MENTORING_MEETING_ROOM_URL=Setting(
        "https://meet.jit.si/cocreate-{room}",
        "The video room a session gets when its mentor gave no link of their own: {room} "
        "becomes an unguessable name, new for each session.",
    ),
)
