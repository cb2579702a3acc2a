"""OAuth 2.0 applications: registering one, and those a learner authorised (listing, revoking).

A registration (RFC 7591) creates the application and its :class:`OAuthClientRegistration`
(the scopes it may ever ask for, what it says about itself) together. Its name is only what it
calls itself, so a name that reads as this site's or one of its institutions' is refused.

An application holds access to a learner's backpack while it has an authorization code not yet
exchanged (a grant), an access token or a refresh token of theirs. Revoking deletes all three
for that one learner and application, in one transaction; revoking again finds nothing to
delete and is not an error. Nobody but the learner sees or revokes their applications: every
function takes the user and touches only rows that are theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)

from credentials.models import Issuer, OAuthClientRegistration
from credentials.verify.records import normalise_name

OB3 = settings.OB3_SCOPE_PREFIX
CLR = settings.CLR_SCOPE_PREFIX

# Each scope in plain words (what the learner agrees to), in their language.
SCOPE_WORDS = {
    OB3 + "credential.readonly": _("See every credential in your backpack"),
    OB3 + "credential.upsert": _("Add credentials from other issuers to your backpack"),
    OB3 + "profile.readonly": _("See your name and your verified e-mail address"),
    OB3 + "profile.update": _("Change the name on your profile"),
    CLR + "credential.readonly": _("See your signed learner record (all your achievements)"),
}


def scope_words(scopes: str | list[str]) -> list[str]:
    """The plain words for each scope (the scope itself when we have none)."""
    names = scopes.split() if isinstance(scopes, str) else list(scopes)
    return [str(SCOPE_WORDS.get(name, name)) for name in dict.fromkeys(names)]


# Cyrillic and Greek letters that look like a Latin letter other than the one they are
# transliterated to (normalise_name reads "С" as "S", "Н" as "N"): read as they look.
LOOK_ALIKES = str.maketrans(
    {
        "В": "B", "С": "C", "Н": "H", "Р": "P", "Ѕ": "S", "Х": "X", "У": "Y",
        "с": "c", "р": "p", "ѕ": "s", "х": "x", "у": "y", "ν": "v",
        "Β": "B", "Η": "H", "Ρ": "P", "Χ": "X", "ρ": "p", "χ": "x",
    }
)  # fmt: skip


def _skeleton(name: str) -> str:
    """The name's skeleton (credentials.verify.records), look-alikes read as they look, and
    spaces ignored: "Co Create Academy", "CoCreate Academy" and "Со-Сreate" read the same."""
    return normalise_name(name.translate(LOOK_ALIKES)).replace(" ", "")


def site_names() -> list[str]:
    """The names this site goes by: its own, and each Wagtail site's."""
    names = [settings.WAGTAIL_SITE_NAME]
    if apps.is_installed("wagtail"):
        site_model = apps.get_model("wagtailcore", "Site")
        names += list(site_model.objects.values_list("site_name", flat=True))
    return [name for name in names if name]


def impersonates(name: str) -> bool:
    """Whether ``name`` reads (its skeleton, spaces aside) as this site's name or one of its
    institutions' names: an application may not call itself that."""
    wanted = _skeleton(name)
    if not wanted:
        return False
    if any(_skeleton(site) == wanted for site in site_names()):
        return True
    return any(
        _skeleton(issuer) == wanted for issuer in Issuer.objects.values_list("name", flat=True)
    )


def register_application(
    *,
    name: str,
    redirect_uris: list[str],
    scope: str,
    client_uri: str = "",
    software_id: str = "",
    software_version: str = "",
) -> tuple[object, str]:
    """Create a confidential authorization-code application (secret hashed at rest) with its
    registration, in one transaction: the application and its secret in plain (said once)."""
    secret = generate_client_secret()
    Application = get_application_model()
    with transaction.atomic():
        application = Application.objects.create(
            name=name,
            redirect_uris=" ".join(redirect_uris),
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            client_secret=secret,
            hash_client_secret=True,
            skip_authorization=False,
            registration_source=Application.RegistrationSource.DCR,
        )
        OAuthClientRegistration.objects.create(
            application=application,
            scope=scope,
            client_uri=client_uri,
            software_id=software_id,
            software_version=software_version,
        )
    return application, secret


def registered_scopes(application) -> list[str] | None:
    """The scopes ``application`` registered with (it may ask for no others); None for an
    application with no registration (made before registrations were kept, or by staff)."""
    if application is None:
        return None
    found = OAuthClientRegistration.objects.filter(application=application).first()
    return None if found is None else found.scopes


@dataclass
class ConnectedApp:
    application_id: int
    name: str
    client_id: str
    registered: datetime
    authorised: datetime | None
    last_used: datetime | None
    scopes: list[str] = field(default_factory=list)
    scope_words: list[str] = field(default_factory=list)
    redirect_hosts: list[str] = field(default_factory=list)


def _hosts(redirect_uris: str) -> list[str]:
    from urllib.parse import urlsplit

    return list(dict.fromkeys(urlsplit(uri).netloc for uri in redirect_uris.split()))


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((d for d in (a, b) if d is not None), default=None)


def _earlier(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((d for d in (a, b) if d is not None), default=None)


def connected_apps(user) -> list[ConnectedApp]:
    """The applications holding a grant, an access token or a refresh token of ``user``'s
    (live or not yet revoked), most recently used first. "Authorised" is the earliest token or
    grant we still hold; "last used" the latest token's creation (a refresh counts as use)."""
    found: dict[int, ConnectedApp] = {}

    def entry(application) -> ConnectedApp:
        if application.pk not in found:
            found[application.pk] = ConnectedApp(
                application_id=application.pk,
                name=application.name,
                client_id=application.client_id,
                registered=application.created,
                authorised=None,
                last_used=None,
                redirect_hosts=_hosts(application.redirect_uris),
            )
        return found[application.pk]

    def add_scopes(app: ConnectedApp, scope: str) -> None:
        for name in scope.split():
            if name not in app.scopes:
                app.scopes.append(name)

    tokens = get_access_token_model().objects.filter(user=user, application__isnull=False)
    for token in tokens.select_related("application"):
        app = entry(token.application)
        add_scopes(app, token.scope)
        app.authorised = _earlier(app.authorised, token.created)
        app.last_used = _later(app.last_used, token.created)
    refresh = get_refresh_token_model().objects.filter(user=user, revoked__isnull=True)
    for token in refresh.select_related("application", "access_token"):
        app = entry(token.application)
        if token.access_token is not None:
            add_scopes(app, token.access_token.scope)
        app.authorised = _earlier(app.authorised, token.created)
    for grant in get_grant_model().objects.filter(user=user).select_related("application"):
        app = entry(grant.application)
        add_scopes(app, grant.scope)
        app.authorised = _earlier(app.authorised, grant.created)
    for app in found.values():
        app.scope_words = scope_words(app.scopes)
    return sorted(
        found.values(),
        key=lambda a: (a.last_used or a.authorised or a.registered, a.application_id),
        reverse=True,
    )


def revoke(user, application_id: int) -> int:
    """Delete ``user``'s access tokens, refresh tokens and grants for one application, all at
    once; the number of rows deleted (0 when there was nothing: revoking twice is fine)."""
    with transaction.atomic():
        refresh = get_refresh_token_model().objects.filter(user=user, application_id=application_id)
        deleted = refresh.delete()[0]
        access = get_access_token_model().objects.filter(user=user, application_id=application_id)
        deleted += access.delete()[0]
        grants = get_grant_model().objects.filter(user=user, application_id=application_id)
        deleted += grants.delete()[0]
    return deleted
