"""Absolute public URLs of every credential document (under settings.SITE_URL)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import Resolver404, ResolverMatch, get_script_prefix, get_urlconf, reverse
from django.urls import resolve as django_resolve
from django.utils import translation


def absolute(name: str, **kwargs) -> str:
    """``SITE_URL`` + the path of the URL named ``credentials:<name>``."""
    key = tuple(sorted(kwargs.items()))
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return settings.SITE_URL + _reverse(urlconf, get_script_prefix(), name, key)


@lru_cache(maxsize=4096)
def _reverse(urlconf: str, prefix: str, name: str, kwargs: tuple) -> str:
    # Signing one award asks for the same few URLs a dozen times; reverse() is not cheap.
    # A signed URL is an identifier: the same whatever language the signer's request was in,
    # so it is reversed in the default language (no /fr/ prefix from i18n_patterns).
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(f"credentials:{name}", kwargs=dict(kwargs), urlconf=urlconf)


def resolve(path: str) -> ResolverMatch | None:
    """What one of our URLs' ``path`` names, as :func:`absolute` wrote it: in the default
    language whatever language the request asking is in (a French request would otherwise
    look for a /fr/ prefix our signed URLs never have). None for no URL of ours."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return django_resolve(path)
        except Resolver404:
            return None


def award_url(award) -> str:
    return absolute("award", public_id=award.public_id)


def issuer_ob2_url(issuer) -> str:
    return absolute("issuer_ob2", public_id=issuer.public_id)


def issuer_profile_url(issuer) -> str:
    return absolute("issuer_profile", public_id=issuer.public_id)


def issuer_key_url(key) -> str:
    return absolute("issuer_key", public_id=key.issuer.public_id, key_id=key.key_id)


def revocation_list_url(issuer) -> str:
    return absolute("revocation_list", public_id=issuer.public_id)


def badge_url(badge) -> str:
    return absolute("badge_ob2", public_id=badge.public_id)


def edition_url(badge, language: str) -> str:
    """The OB 3.0 Achievement of ``badge``'s edition in ``language``."""
    return absolute("badge_edition", public_id=badge.public_id, language=language)


def badge_image_url(badge) -> str:
    return absolute("badge_image", public_id=badge.public_id)


def issuer_image_url(issuer) -> str:
    return absolute("issuer_image", public_id=issuer.public_id)


def status_list_url(badge) -> str:
    """The badge's own status list: only awards made before per-issuer lists are in it."""
    return absolute("status_list", public_id=badge.public_id)


def issuer_status_list_url(issuer, purpose: str = "revocation") -> str:
    """The issuer's status list for ``purpose``, shared by all its badges' awards."""
    return absolute("issuer_status_list", public_id=issuer.public_id, purpose=purpose)


def award_status_list_url(award) -> str:
    """The status list ``award`` is in: its issuer's, or (older awards) its badge's."""
    if award.status_list_id is None:
        return status_list_url(award.badge_class)
    return issuer_status_list_url(award.badge_class.issuer)


def vocabulary_url() -> str:
    """Where the terms of the legacy inline EU context were defined (and are still served)."""
    return absolute("vocabulary")
