"""Bring badges from another backpack: we are an Open Badges 3.0 API Service Consumer (Read).

1. :func:`start`: the learner names another host. We read its discovery document
   (``<host>/ims/ob/v3p0/discovery``) through the verifier's bounded fetcher and check it: an
   OpenAPI 3 document whose ``OAuth2ACG`` scheme is an authorization-code flow, every endpoint
   (authorisation, token, registration, API) https and on the host's own origin. The first
   time, we register (RFC 7591) at its ``x-imssf-registrationUrl``; the client id is kept and
   the secret encrypted. The learner is sent to its authorisation page with a fresh ``state``
   and a PKCE S256 challenge, kept in their session, bound to them, single use, expiring.
2. :func:`finish`: the host sends the learner back with a code. The state is taken out of the
   session (whatever happens next, it is spent), the code exchanged for tokens (the refresh
   token encrypted, one connection per learner and host), then :func:`pull` reads
   ``getCredentials`` page by page (following ``Link: rel="next"`` on the same origin, under
   caps on pages, credentials and bytes) and ``getProfile``, and hands each credential to the
   backpack (:func:`credentials.services.imports.upsert`) exactly as the host sent it.
3. :func:`disconnect` forgets a learner's tokens at a host.

Every HTTP exchange is bounded (:mod:`credentials.services.remote_http`). A new callback
address of ours registers a new client; the earlier ones stay for connections made with them.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote, urlencode, urljoin, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from oauthlib.oauth2 import OAuth2Error, WebApplicationClient

from credentials.models import RemoteConnection, RemoteHost
from credentials.services import remote_http
from credentials.services.backpack_import import Summary, pull
from credentials.services.remote_http import RemoteError, dumps, seal, unseal
from credentials.verify import site
from credentials.verify.fetch import FetchError, origin_of
from credentials.verify.reading import loads

__all__ = [
    "CALLBACK_URL_NAME",
    "RemoteError",
    "Summary",
    "connections_of",
    "disconnect",
    "discover",
    "finish",
    "grant_of",
    "normalise_address",
    "pull",
    "pull_again",
    "start",
]

DISCOVERY_PATH = "/ims/ob/v3p0/discovery"
SCOPE_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
SCOPES = (SCOPE_PREFIX + "credential.readonly", SCOPE_PREFIX + "profile.readonly")
CALLBACK_URL_NAME = "credentials_manage:backpack_import:remote_callback"
SESSION_KEY = "backpack_remote_pending"
STATE_SECONDS = 600
MAX_PENDING = 5
MAX_FIELD = 500  # RemoteHost's address and client id columns hold this many characters
MAX_EARLIER = 10  # earlier clients kept per host (our callback addresses changed since)


# --- the other host -------------------------------------------------------------------------


def normalise_address(address: str) -> str:
    """The host's base address: https (http only when the tests allow), no query, no trailing
    slash, no discovery path. Raises :class:`RemoteError` for anything else."""
    address = (address or "").strip()
    if address and "://" not in address:
        address = "https://" + address
    parts = urlsplit(address)
    if (
        origin_of(address) is None
        or parts.username
        or parts.password
        or parts.query
        or parts.fragment
        or not remote_http.secure_enough(address)
    ):
        raise RemoteError(
            _("Give the other backpack's address, starting with https://."), "address"
        )
    path = parts.path.rstrip("/")
    if path.endswith(DISCOVERY_PATH):
        path = path[: -len(DISCOVERY_PATH)]
    scheme, netloc = origin_of(address) or ("", "")
    base_url = f"{scheme}://{netloc}{path}"
    if len(base_url) + len(DISCOVERY_PATH) > MAX_FIELD:
        raise RemoteError(_("This address is too long."), "address")
    return base_url


def _host_error(detail: str) -> RemoteError:
    return RemoteError(
        _("This address does not describe an Open Badges 3.0 backpack we can use: %(detail)s.")
        % {"detail": detail},
        "discovery",
    )


def _endpoint(value: Any, origin: tuple[str, str] | None, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise _host_error(_("its %(what)s address is missing") % {"what": what})
    if origin_of(value) != origin or not remote_http.secure_enough(value):
        raise _host_error(
            _("its %(what)s address is not on its own secure address") % {"what": what}
        )
    if len(value) > MAX_FIELD:
        raise _host_error(_("its %(what)s address is too long") % {"what": what})
    return value


def discover(base_url: str) -> dict[str, str]:
    """Read and check ``base_url``'s discovery document; its endpoints, all on its origin."""
    url = base_url + DISCOVERY_PATH
    try:
        answer = site.fetch(url, accept="application/json", use_cache=False)
    except FetchError as exc:
        if exc.kind == "blocked":
            message = _("Only backpacks on the public internet can be reached.")
        else:
            message = _("The other backpack could not be reached.")
        raise RemoteError(message, f"fetch_{exc.kind}") from exc
    except ValueError as exc:  # an answer no parser expected: the host's fault
        raise RemoteError(_("The other backpack could not be reached."), "fetch_network") from exc
    if not answer.ok:
        raise _host_error(
            _("its discovery document answered HTTP %(status)s") % {"status": answer.status}
        )
    try:
        document = loads(answer.body)
    except (ValueError, RecursionError) as exc:
        raise _host_error(_("its discovery document is not JSON")) from exc
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3."):
        raise _host_error(_("its discovery document is not an OpenAPI 3 document"))
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    scheme = schemes.get("OAuth2ACG") if isinstance(schemes, dict) else None
    flow = (
        ((scheme.get("flows") or {}).get("authorizationCode") or {})
        if isinstance(scheme, dict) and scheme.get("type") == "oauth2"
        else {}
    )
    if not isinstance(flow, dict) or not flow:
        raise _host_error(_("it offers no OAuth 2.0 authorization code flow"))
    servers = document.get("servers") or []
    server = servers[0].get("url") if servers and isinstance(servers[0], dict) else None
    origin = origin_of(base_url)
    return {
        "authorization_url": _endpoint(flow.get("authorizationUrl"), origin, _("authorisation")),
        "token_url": _endpoint(flow.get("tokenUrl"), origin, _("token")),
        "registration_url": _endpoint(
            scheme.get("x-imssf-registrationUrl"), origin, _("registration")
        ),
        "api_base_url": _endpoint(server, origin, _("API")).rstrip("/"),
    }


def redirect_uris() -> list[str]:
    """Our callback in every language of the site (the host matches it exactly)."""
    uris = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            uris.append(settings.SITE_URL + reverse(CALLBACK_URL_NAME))
    return list(dict.fromkeys(uris))


def _registration_request() -> dict[str, Any]:
    home = settings.SITE_URL + "/"
    return {
        # Our name with our address: a host that refuses look-alikes of its own name (as ours
        # does) still accepts another deployment of this software.
        "client_name": f"{settings.WAGTAIL_SITE_NAME} ({urlsplit(settings.SITE_URL).netloc})",
        "client_uri": home,
        "logo_uri": urljoin(home, static("img/logo.svg")),
        "tos_uri": home,
        "policy_uri": home,
        "software_id": "co-create-academy",
        "software_version": "1.0",
        "redirect_uris": redirect_uris(),
        "token_endpoint_auth_method": "client_secret_basic",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "scope": " ".join(SCOPES),
    }


def _json_call(method: str, url: str, **options: Any) -> tuple[remote_http.Answer, Any]:
    try:
        answer = remote_http.request(method, url, **options)
    except FetchError as exc:
        raise RemoteError(
            _("The other backpack could not be reached."), f"fetch_{exc.kind}"
        ) from exc
    try:
        return answer, loads(answer.body)
    except (ValueError, RecursionError):
        return answer, None


def _clients(host: RemoteHost) -> list[dict[str, Any]]:
    return remote_http.clients_of(host.client_id, host.client_secret_encrypted, host.registration)


def _make_current(base_url: str, values: dict[str, Any]) -> RemoteHost | None:
    """Store ``values`` (a client and what came with it) as the host's current client; the
    one it replaces joins the earlier ones. None when the host has no row yet."""
    with transaction.atomic():
        host = RemoteHost.objects.select_for_update().filter(base_url=base_url).first()
        if host is None:
            return None
        current, *earlier = _clients(host)
        kept = [c for c in (*earlier, current) if c.get("client_id") != values["client_id"]]
        values["registration"][remote_http.EARLIER_CLIENTS] = kept[-MAX_EARLIER:]
        RemoteHost.objects.filter(pk=host.pk).update(**values)
        host.refresh_from_db()
        return host


def _reuse_earlier(host: RemoteHost, endpoints: dict[str, str]) -> RemoteHost | None:
    """The host with its earlier client for our current callback addresses made current again
    (we went back to an address we had), None when there is none."""
    uris = redirect_uris()
    match = next((c for c in _clients(host)[1:] if c.get("sent_redirect_uris") == uris), None)
    if match is None:
        return None
    values = {k: v for k, v in endpoints.items() if k != "registration_url"}
    values["client_id"] = str(match["client_id"])
    values["client_secret_encrypted"] = str(match.get("client_secret_encrypted") or "")
    merged = {**host.registration, **match}
    values["registration"] = {k: v for k, v in merged.items() if k != "client_secret_encrypted"}
    return _make_current(host.base_url, values)


def _register(base_url: str, endpoints: dict[str, str]) -> RemoteHost:
    body = _registration_request()
    answer, data = _json_call(
        "POST",
        endpoints["registration_url"],
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        body=dumps(body),
    )
    client_id = data.get("client_id") if isinstance(data, dict) else None
    if not answer.ok or not isinstance(client_id, str) or not 0 < len(client_id) <= MAX_FIELD:
        raise RemoteError(_("The other backpack refused to register us."), "registration")
    secret = data.get("client_secret")
    registration = {
        k: v for k, v in data.items() if k not in ("client_secret", remote_http.EARLIER_CLIENTS)
    }
    # What we asked for: a new SITE_URL or language means registering again.
    registration["sent_redirect_uris"] = body["redirect_uris"]
    values = {
        "discovery_url": base_url + DISCOVERY_PATH,
        "authorization_url": endpoints["authorization_url"],
        "token_url": endpoints["token_url"],
        "api_base_url": endpoints["api_base_url"],
        "registration": registration,
        "client_id": client_id,
        "client_secret_encrypted": seal(secret if isinstance(secret, str) else ""),
    }
    updated = _make_current(base_url, values)
    if updated is not None:
        return updated
    try:
        with transaction.atomic():
            return RemoteHost.objects.create(base_url=base_url, **values)
    except IntegrityError:  # another learner registered us there at the same moment
        return RemoteHost.objects.get(base_url=base_url)


def host_for(address: str) -> RemoteHost:
    """The registered host at ``address``: its discovery is read and checked each time (it may
    have changed); registration happens once per host and set of our callback addresses (a
    new SITE_URL or language registers a new client; the earlier ones are kept for the
    connections made with them)."""
    base_url = normalise_address(address)
    endpoints = discover(base_url)
    host = RemoteHost.objects.filter(base_url=base_url).first()
    if host is None:
        return _register(base_url, endpoints)
    if host.registration.get("sent_redirect_uris") != redirect_uris():
        return _reuse_earlier(host, endpoints) or _register(base_url, endpoints)
    changed = {k: v for k, v in endpoints.items() if k != "registration_url"}
    if any(getattr(host, k) != v for k, v in changed.items()):
        RemoteHost.objects.filter(pk=host.pk).update(**changed)
        host.refresh_from_db()
    return host


# --- the learner's round trip ---------------------------------------------------------------


def start(user: Any, address: str, session: MutableMapping[str, Any]) -> str:
    """Where to send ``user`` to authorise us at ``address``; the state and PKCE verifier are
    kept in ``session`` (at most a few pending, each single use and expiring)."""
    host = host_for(address)
    client = WebApplicationClient(host.client_id)
    verifier = client.create_code_verifier(64)
    challenge = client.create_code_challenge(verifier, "S256")
    state = secrets.token_urlsafe(32)
    redirect_uri = settings.SITE_URL + reverse(CALLBACK_URL_NAME)
    now = time.time()
    pending = {
        key: value
        for key, value in dict(session.get(SESSION_KEY) or {}).items()
        if isinstance(value, dict) and value.get("expires", 0) > now
    }
    while len(pending) >= MAX_PENDING:
        pending.pop(min(pending, key=lambda k: pending[k]["expires"]))
    pending[state] = {
        "user": user.pk,
        "host": host.pk,
        "client_id": host.client_id,
        "verifier": verifier,
        "redirect_uri": redirect_uri,
        "expires": now + STATE_SECONDS,
    }
    session[SESSION_KEY] = pending
    query = urlencode(
        {
            "response_type": "code",
            "client_id": host.client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(SCOPES),
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if urlsplit(host.authorization_url).query else "?"
    return host.authorization_url + separator + query


def _take_state(user: Any, session: MutableMapping[str, Any], state: str) -> dict[str, Any]:
    """The pending round trip ``state`` names, removed from the session (single use)."""
    pending = dict(session.get(SESSION_KEY) or {})
    found_key = next(
        (key for key in pending if state and hmac.compare_digest(key.encode(), state.encode())),
        None,
    )
    entry = pending.pop(found_key, None) if found_key else None
    session[SESSION_KEY] = pending
    if (
        not isinstance(entry, dict)
        or entry.get("user") != user.pk
        or entry.get("expires", 0) <= time.time()
    ):
        raise RemoteError(
            _(
                "This return from the other backpack does not match a request of yours here, or it "
                "came too late. Start again."
            ),
            "state",
        )
    return entry


def _basic(host: RemoteHost, client_id: str) -> dict[str, str]:
    """HTTP Basic with our client ``client_id`` at ``host`` (the current one or an earlier)."""
    clients = _clients(host)
    client = next((c for c in clients if c.get("client_id") == client_id), None)
    if client is None:  # a client we no longer keep
        raise RemoteError(_("Connect to this backpack again to bring its badges."), "refresh")
    secret = unseal(str(client.get("client_secret_encrypted") or ""))
    pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode("ascii")}


def _token(host: RemoteHost, client_id: str, form: str) -> dict[str, Any]:
    answer, data = _json_call(
        "POST",
        host.token_url,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            **_basic(host, client_id),
        },
        body=form.encode("ascii"),
    )
    if not isinstance(data, dict):
        raise RemoteError(_("The other backpack gave no usable token."), "token")
    try:
        token = WebApplicationClient(client_id).parse_request_body_response(
            dumps(data).decode("utf-8")
        )
    except (OAuth2Error, ValueError) as exc:
        raise RemoteError(_("The other backpack gave no usable token."), "token") from exc
    if not answer.ok or not isinstance(token.get("access_token"), str):
        raise RemoteError(_("The other backpack gave no usable token."), "token")
    return dict(token)


def grant_of(connection: RemoteConnection) -> tuple[str, str]:
    """(our client id at the host, the refresh token) of ``connection`` ('' for no token).
    A row kept before the client was recorded holds a bare token: issued to the first client
    we kept at the host."""
    client_id, refresh = remote_http.open_grant(connection.refresh_token_encrypted)
    if client_id is None:
        clients = _clients(connection.host)
        client_id = str((clients[1:] or clients)[0].get("client_id"))
    return client_id, refresh


def finish(user: Any, session: MutableMapping[str, Any], params: Any) -> Summary:
    """The learner is back from the host: check the state, exchange the code, pull."""
    entry = _take_state(user, session, str(params.get("state") or ""))
    host = RemoteHost.objects.filter(pk=entry["host"]).first()
    if host is None:
        raise RemoteError(_("This backpack is no longer known here. Start again."), "host")
    if params.get("error"):
        raise RemoteError(
            _("The other backpack did not give access (%(error)s).")
            % {"error": str(params.get("error"))[:80]},
            "denied",
        )
    code = str(params.get("code") or "")
    if not code:
        raise RemoteError(_("The other backpack sent no authorisation code."), "code")
    client_id = str(entry.get("client_id") or host.client_id)  # the client the trip began with
    form = WebApplicationClient(client_id).prepare_request_body(
        code=code,
        redirect_uri=entry["redirect_uri"],
        code_verifier=entry["verifier"],
        include_client_id=False,
    )
    token = _token(host, client_id, form)
    scopes = token.get("scope") or list(SCOPES)
    connection, _created = RemoteConnection.objects.update_or_create(
        user=user,
        host=host,
        defaults={
            "refresh_token_encrypted": remote_http.seal_grant(
                client_id, str(token.get("refresh_token") or "")
            ),
            "scopes": " ".join(scopes if isinstance(scopes, list) else [str(scopes)])[:500],
        },
    )
    return pull(connection, token["access_token"])


def pull_again(user: Any, connection_id: int) -> Summary:
    """Bring the credentials again from a connected host, with its refresh token."""
    connection = _connection_of(user, connection_id)
    client_id, refresh = grant_of(connection)
    if not refresh:
        raise RemoteError(_("Connect to this backpack again to bring its badges."), "refresh")
    form = WebApplicationClient(client_id).prepare_refresh_body(
        refresh_token=refresh, scope=list(SCOPES)
    )
    token = _token(connection.host, client_id, form)
    if token.get("refresh_token"):
        connection.refresh_token_encrypted = remote_http.seal_grant(
            client_id, str(token["refresh_token"])
        )
        connection.save(update_fields=["refresh_token_encrypted"])
    return pull(connection, token["access_token"])


# --- the learner's connections --------------------------------------------------------------


def connections_of(user: Any) -> list[RemoteConnection]:
    """The hosts ``user`` connected, newest first."""
    return list(
        RemoteConnection.objects.filter(user=user).select_related("host").order_by("-connected_at")
    )


def _connection_of(user: Any, connection_id: int) -> RemoteConnection:
    connection = (
        RemoteConnection.objects.filter(pk=connection_id, user=user).select_related("host").first()
    )
    if connection is None:  # someone else's, or none: the same answer
        raise RemoteError(_("You have no connection with this id."), "not_found")
    return connection


def disconnect(user: Any, connection_id: int) -> str:
    """Forget ``user``'s tokens at one host; the host's address, for the message."""
    connection = _connection_of(user, connection_id)
    base_url = connection.host.base_url
    connection.delete()
    return base_url
