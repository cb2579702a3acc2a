"""Thin views: read the request, call a service, render. Rules live in services and slots.

By audience: ``learners`` (finding a mentor, booking), ``sessions`` (a session's pages for both
of its people, the list of sessions, calendar feeds), ``desk`` (mentors: their numbers, profile
and hours) and ``programmes``; ``week`` holds what several pages share (the visitor's time zone,
the week of free times). ``mentoring.urls`` names each view; the URL names are unchanged.
"""
