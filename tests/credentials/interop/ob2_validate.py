"""Run 1EdTech's Open Badges 2.0 validator (PyPI ``openbadges``) on one input; print its report.

Runs in its own virtualenv (.venv-ob2validator/, made by tests/credentials/interop/setup.py),
because the validator pins old libraries. Network access is limited to the loopback
interface, so every document it fetches must come from the test's live server.

    python ob2_validate.py URL | JSON | @path/to/baked.png
"""

import collections
import collections.abc
import json
import socket
import sys

# The validator's 2017 dependencies (python-jose 3.0, pyld 0.7…) import these ABCs from
# ``collections``, which Python 3.10 removed. Put them back before importing it.
for _name in ("Mapping", "MutableMapping", "Sequence", "Iterable", "Callable", "Set"):
    setattr(collections, _name, getattr(collections.abc, _name))

_real_getaddrinfo = socket.getaddrinfo


def _loopback_only(host, *args, **kwargs):
    results = _real_getaddrinfo(host, *args, **kwargs)
    if not all(r[4][0] in ("127.0.0.1", "::1") for r in results):
        raise OSError(f"ob2_validate: refusing to fetch from {host} (not the test's server)")
    return results


socket.getaddrinfo = _loopback_only

import requests  # noqa: E402
from openbadges import verify  # noqa: E402 - after the network guard
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT  # noqa: E402

# The Open Badges 2.0 context is fetched from w3id.org by the validator; serve it the copy
# the validator itself ships instead, so that the run needs no network beyond the test.
CONTEXTS = {
    "https://w3id.org/openbadges/v2": OPENBADGES_CONTEXT_V2_DICT,
    "https://openbadgespec.org/v2/context.json": OPENBADGES_CONTEXT_V2_DICT,
}


class _ContextAdapter(requests.adapters.BaseAdapter):
    def send(self, request, **kwargs):
        response = requests.Response()
        response.url = request.url
        document = CONTEXTS.get(request.url.split("#")[0])
        if document is None:
            response.status_code = 404
            response._content = b"{}"
        else:
            response.status_code = 200
            response._content = json.dumps(document).encode()
            response.headers["Content-Type"] = "application/ld+json"
        response.request = request
        return response

    def close(self):
        pass


_session_init = requests.Session.__init__


def _session_with_contexts(self, *args, **kwargs):
    _session_init(self, *args, **kwargs)
    for prefix in ("https://w3id.org/openbadges/", "https://openbadgespec.org/"):
        self.mount(prefix, _ContextAdapter())


requests.Session.__init__ = _session_with_contexts


def main(argument: str) -> None:
    options = {"use_cache": False}
    if argument.startswith("@"):
        with open(argument[1:], "rb") as handle:
            report = verify(handle, **options)
    else:
        report = verify(argument, **options)
    json.dump(report, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
