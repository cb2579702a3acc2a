"""Helpers of the OAuth / OB 3.0 API tests: register an application, run the authorization
code flow with PKCE through the views, call the API with a bearer token."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

OB3 = settings.OB3_SCOPE_PREFIX
CLR = settings.CLR_SCOPE_PREFIX
ALL_OB3 = " ".join(
    OB3 + s
    for s in ("credential.readonly", "credential.upsert", "profile.readonly", "profile.update")
)
REDIRECT = "http://127.0.0.1:8765/callback"


def register(client, **metadata) -> dict:
    body = {"client_name": "Skills Wallet", "redirect_uris": [REDIRECT], **metadata}
    response = client.post("/oauth/register", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize_params(app: dict, scope: str, challenge: str, method: str = "S256") -> dict:
    params = {
        "response_type": "code",
        "client_id": app["client_id"],
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "xyz",
    }
    if challenge:
        params["code_challenge"] = challenge
        params["code_challenge_method"] = method
    return params


def get_code(client, app: dict, scope: str, challenge: str) -> str:
    params = authorize_params(app, scope, challenge)
    page = client.get("/oauth/authorize/", params)
    assert page.status_code == 200, page.content
    response = client.post("/oauth/authorize/", {**params, "allow": "1"})
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def exchange(client, app: dict, code: str, verifier: str):
    return client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "code_verifier": verifier,
        },
    )


def token_for(client, user, app: dict, scope: str = ALL_OB3) -> dict:
    """Sign ``user`` in, authorise ``app`` for ``scope``, exchange the code: the token answer.
    The client is signed out again (the API must not rely on the session)."""
    client.force_login(user)
    verifier, challenge = pkce()
    code = get_code(client, app, scope, challenge)
    response = exchange(client, app, code, verifier)
    assert response.status_code == 200, response.content
    client.logout()
    return response.json()


def bearer(token: dict | str) -> dict:
    value = token if isinstance(token, str) else token["access_token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {value}"}
