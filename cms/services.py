"""Business rules of the site: accounts and the page tree. Views, tasks and commands call these."""

import socket

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale, Page, Site

from . import roles


def ping(nonce: str) -> dict:
    """Answer the Celery proof task: echo the nonce with where and how it ran."""
    return {
        "nonce": nonce,
        "host": socket.gethostname(),
        "site_url": settings.SITE_URL,
        "users": get_user_model().objects.count(),
    }


@transaction.atomic
def make_learner(user) -> None:
    """Everyone who signs up is a learner. Idempotent."""
    roles.grant(user, roles.LEARNERS)


@transaction.atomic
def register_learner(
    *,
    email: str,
    password: str,
    display_name: str = "",
    time_zone: str = "UTC",
    language: str = "en",
):
    """Create a learner's account directly (commands, tests). Its address is NOT verified:
    the sign-up page goes through allauth (``cms.accounts``), which verifies it by e-mail."""
    user = get_user_model().objects.create_user(
        email=email,
        password=password,
        display_name=display_name,
        time_zone=time_zone,
        language=language,
    )
    make_learner(user)
    return user


@transaction.atomic
def mark_email_verified(user) -> None:
    """Record ``user``'s own address as verified and primary (demo and trusted accounts only:
    people prove their address by the e-mailed link). Idempotent."""
    from allauth.account.models import EmailAddress

    email = user.email.lower()
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def ensure_home_page(*, hero_title: str, hero_intro: str):
    """Make the default site's root a HomePage, whatever tree the database holds. Idempotent.

    Replaces Wagtail's default "Welcome" page, and creates the root page and the default
    site if the database has neither (as after a flushed test database).
    """
    from .models import HomePage

    home = HomePage.objects.first()
    if home is None:
        locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locale)
        )
        stale = list(root.get_children().filter(slug="home"))
        Page.objects.filter(pk__in=[p.pk for p in stale]).update(slug="wagtail-welcome")
        home = HomePage(title="Home", slug="home", hero_title=hero_title, hero_intro=hero_intro)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(
        hostname="localhost", port=80, is_default_site=True
    )
    site.root_page = home
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.save()
    for page in Page.objects.filter(depth=2, slug="wagtail-welcome"):
        page.delete()
    return home
