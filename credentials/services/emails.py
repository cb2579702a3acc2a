"""The e-mail a learner receives when a badge is awarded (HTML and text, image and links).

``services.award_many()`` (and so ``award()``) sends ``signals.awards_issued`` once per batch of
newly created awards after its transaction commits — never for an idempotent retry that returns
an existing award. ``receivers.email_new_awards`` then enqueues one ``send_award_emails`` task
per batch (a bulk award's chunk shares one mail-server connection); ``Award.notified_at`` makes
the e-mail go out once even when the task is retried.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from credentials.issuing import links
from credentials.issuing.status import award_status
from credentials.models import Award, Endorsement
from credentials.services import backpack

log = logging.getLogger(__name__)
OVERDUE_AFTER = timedelta(minutes=15)
OVERDUE_GIVE_UP = timedelta(days=2)


def award_email_context(award: Award) -> dict:
    badge, issuer, user = award.badge_class, award.badge_class.issuer, award.recipient
    downloads = [
        {"label": f"{d.label} ({d.group})", "url": settings.SITE_URL + d.url}
        for d in backpack.downloads(award)
        if d.name in {"award_png2", "award_png3", "award_pdf"}
    ]
    return {
        "award": award,
        "badge": badge,
        "issuer": issuer,
        "status": award_status(award),
        "name": award.recipient_name or (award.recipient.get_short_name() if user else ""),
        "public_url": links.award_url(award),
        "image_url": links.badge_image_url(badge),
        "backpack_url": settings.SITE_URL + reverse("credentials_manage:backpack"),
        "has_account": award.recipient_id is not None,
        "claim_url": (
            None
            if award.recipient_id
            else settings.SITE_URL
            + reverse("credentials_manage:claim", args=[backpack.claim_token(award)])
        ),
        "linkedin_url": backpack.linkedin_add_url(award),
        "downloads": downloads,
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }


def build_award_email(award: Award) -> EmailMultiAlternatives:
    context = award_email_context(award)
    subject = " ".join(render_to_string("credentials/email/award_subject.txt", context).split())
    text = render_to_string("credentials/email/award.txt", context)
    html = render_to_string("credentials/email/award.html", context)
    message = EmailMultiAlternatives(subject, text, to=[award.recipient_email])
    message.attach_alternative(html, "text/html")
    return message


def send_award_email(award: Award, connection=None) -> bool:
    """Tell the recipient about their new credential. Returns whether an e-mail was sent."""
    if award.is_revoked or not award.recipient_email:
        return False
    message = build_award_email(award)
    message.connection = connection
    message.send()
    Award.objects.filter(pk=award.pk).update(notified_at=timezone.now())
    log.info("Award e-mail sent for award %s", award.pk)
    return True


def send_award_emails(award_pks: list[int]) -> int:
    """E-mail every award of ``award_pks`` not yet e-mailed, over one mail-server connection.

    Each award is marked as e-mailed as soon as the server accepts its message, so a retry
    after a failure halfway sends only the rest. Returns how many were sent.
    """
    awards = Award.objects.filter(pk__in=award_pks, notified_at=None).select_related(
        "badge_class__issuer", "recipient"
    )
    sent = 0
    with get_connection() as connection:
        for award in awards.order_by("pk"):
            try:
                sent += send_award_email(award, connection)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                # This address is refused for good: the others still get theirs. (A lost
                # connection is not caught: the task retries, and sends only what is left.)
                log.warning("Award e-mail for award %s refused: %s", award.pk, error)
    return sent


def send_overdue_award_emails(now=None) -> int:
    """E-mail awards whose e-mail never went out (a worker lost mid-batch), from beat."""
    now = now or timezone.now()
    overdue = Award.objects.filter(
        notified_at=None,
        revoked_at=None,
        created_at__lt=now - OVERDUE_AFTER,
        created_at__gt=now - OVERDUE_GIVE_UP,
    )
    return send_award_emails(list(overdue.values_list("pk", flat=True)[:1000]))


def send_endorsement_email(endorsement: Endorsement, withdrawn: bool = False) -> bool:
    """Tell the endorsed badge's institution (its address and its staff). Returns whether sent."""
    badge, endorser = endorsement.badge_class, endorsement.endorser
    issuer = badge.issuer
    recipients = sorted(
        {issuer.email, *issuer.staff.filter(is_active=True).values_list("email", flat=True)} - {""}
    )
    if not recipients:
        return False
    context = {
        "endorsement": endorsement,
        "badge": badge,
        "endorser": endorser,
        "withdrawn": withdrawn,
        "badge_url": settings.SITE_URL
        + reverse("credentials_manage:badge", args=[issuer.slug, badge.slug]),
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }
    subject = " ".join(
        render_to_string("credentials/email/endorsement_subject.txt", context).split()
    )
    to = [issuer.email] if issuer.email else recipients[:1]
    message = EmailMultiAlternatives(
        subject,
        render_to_string("credentials/email/endorsement.txt", context),
        to=to,
        bcc=[r for r in recipients if r not in to],
    )
    message.attach_alternative(
        render_to_string("credentials/email/endorsement.html", context), "text/html"
    )
    message.send()
    return True


def send_endorsement_email_for(endorsement_pk: int, withdrawn: bool = False) -> bool:
    """The endorsement e-mail by primary key (what the task runs); nothing if the news changed."""
    found = (
        Endorsement.objects.select_related("badge_class__issuer", "endorser")
        .filter(pk=endorsement_pk)
        .first()
    )
    if found is None or found.is_withdrawn != withdrawn:
        return False  # withdrawn (or given again) meanwhile: that news is on its way instead
    return send_endorsement_email(found, withdrawn)
