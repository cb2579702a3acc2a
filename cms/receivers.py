"""Signal receivers of the cms app (connected by ``connect()`` from ``CmsConfig.ready``).

Each turns a change into a page-cache purge (lib/pagecache.py): the tag it bumps gets a new
generation when the transaction commits, and every stored answer that depends on it is never
served again. Pages (any Wagtail page, its privacy, images, sites, and the partnerships case
studies tell of) bump ``PAGES``; what the credentials app publishes about institutions and
badges bumps ``CREDENTIALS``; a change to one award bumps its own tag. A new award bumps
nothing: no stored answer shows it (a 404 is never stored), so a bulk award writes nothing to
the cache per award.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from credentials.models import (
    ApprovalRequest,
    Award,
    BadgeClass,
    BadgeEdition,
    Competency,
    Endorsement,
    Framework,
    Issuer,
    IssuerKey,
)
from credentials.services import approval_decided
from lib import pagecache, translations
from partnerships.models import Member, Partnership

CREDENTIAL_MODELS = (Issuer, IssuerKey, BadgeClass, BadgeEdition, Endorsement, Framework,
                     Competency, ApprovalRequest)  # fmt: skip
# A case study (a Wagtail page) shows its partnership's name, summary and whether it is public.
PARTNERSHIP_MODELS = (Partnership, Member)


def pages_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    """A page was saved, published, unpublished, moved or deleted, or a page's privacy, an
    image or a site changed: every page (menus and footers list pages) is rendered afresh."""
    if not raw:
        pagecache.bump(pagecache.PAGES)


def credentials_changed(sender: Any, raw: bool = False, **kwargs: Any) -> None:
    """An institution, its keys, a badge or its language edition, an endorsement, a framework,
    a competence or an approval changed: the pages and documents that show them are rendered
    afresh."""
    if not raw:
        pagecache.bump(pagecache.CREDENTIALS)


def award_changed(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """An award was revoked, signed, edited or deleted: its page and documents afresh."""
    if not (created or raw):
        pagecache.bump(pagecache.award_tag(instance.public_id))


def relation_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A many-to-many field of a page or of a credentials model changed (a course's
    competences, a badge's alignments)."""
    if isinstance(instance, Page | Partnership):
        pagecache.bump(pagecache.PAGES)
    elif isinstance(instance, CREDENTIAL_MODELS):
        pagecache.bump(pagecache.CREDENTIALS)


def connect() -> None:
    # The default language's locale is looked up once per process (lib/translations.py).
    for signal in (post_save, post_delete):
        signal.connect(translations.forget_locales, sender=Locale, dispatch_uid="cms.locales")
    post_migrate.connect(translations.forget_locales, dispatch_uid="cms.locales.migrated")
    uid = "cms.pagecache"
    page_senders = {
        Page,
        *get_page_models(),
        PageViewRestriction,
        Site,
        get_image_model(),
        *PARTNERSHIP_MODELS,
    }
    for model in page_senders:
        post_save.connect(pages_changed, sender=model, dispatch_uid=f"{uid}.save.{model}")
        post_delete.connect(pages_changed, sender=model, dispatch_uid=f"{uid}.delete.{model}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(pages_changed, dispatch_uid=f"{uid}.{id(signal)}")
    for model in CREDENTIAL_MODELS:
        post_save.connect(credentials_changed, sender=model, dispatch_uid=f"{uid}.save.{model}")
        post_delete.connect(credentials_changed, sender=model, dispatch_uid=f"{uid}.delete.{model}")
    # An approval decided by an update (no post_save): a course may now show its badge.
    approval_decided.connect(credentials_changed, dispatch_uid=f"{uid}.approval_decided")
    post_save.connect(award_changed, sender=Award, dispatch_uid=f"{uid}.save.award")
    post_delete.connect(award_changed, sender=Award, dispatch_uid=f"{uid}.delete.award")
    m2m_changed.connect(relation_changed, dispatch_uid=f"{uid}.m2m")
