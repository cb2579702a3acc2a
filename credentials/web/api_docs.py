"""The API's documentation pages, served from our own static files (no CDN).

Swagger UI (``/api/v1/docs``) is django-ninja's bundled copy: with ``ninja`` in INSTALLED_APPS
its page loads ``ninja/swagger-ui-bundle.js`` and reads its settings from a JSON data block,
with no inline script, so the site's Content-Security-Policy holds there unchanged. ReDoc
(``/api/v1/redoc``) is ninja's bundled ``redoc.standalone.js`` started by a static script
(static/js/redoc-init.js: no search, whose worker would be a blob: script, and no Redocly logo
from their CDN). ReDoc inserts <style> elements, so that one page's policy also allows styles
carrying the request's nonce (handed to ReDoc's ``nonce`` option) and the two style elements
the bundle inserts as it loads, before it knows the nonce, by their hashes; a new ReDoc bundle
changes those hashes, and tests/browser/test_api_docs.py says so.
"""

from __future__ import annotations

from csp.constants import NONCE
from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import Swagger

# No validator badge: it would load an image from validator.swagger.io.
swagger = Swagger(settings={"validatorUrl": None})


# The <style> elements redoc.standalone.js (django-ninja 1.7) inserts as it loads: an empty one
# and its scrollbar styles.
REDOC_LOAD_STYLES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]


@csp_update({"style-src": [NONCE, *REDOC_LOAD_STYLES]})
def redoc(request: HttpRequest, *, namespace: str, title: str) -> HttpResponse:
    return render(
        request,
        "credentials/api_redoc.html",
        {"title": title, "openapi_url": reverse(f"{namespace}:openapi-json")},
    )
