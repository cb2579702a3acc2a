"""The page cache's middleware: anonymous visitors' Wagtail pages answered before routing.

A catalogue or course page stored by its view (``lib.pagecache.cache_anonymous(early=True)``)
is answered here, before URL resolution and Wagtail's routing (the site, each level of the
page tree, the view restrictions), which cost more than the answer itself. It sits last in
``MIDDLEWARE``: authentication, messages, the language and the time zone are known, and the
answer still goes back out through every other middleware (security headers, the
Content-Security-Policy, sessions). Pages behind a Wagtail view restriction are never stored
(``learning.views``), and adding a restriction drops every stored page (cms/receivers.py).
"""

from lib import pagecache


class EarlyPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return pagecache.early_answer(request) or self.get_response(request)
