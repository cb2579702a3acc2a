"""The e-mail a learner receives when a badge is awarded (HTML and text, image and links).

``CredentialsConfig.ready()`` connects ``on_award_issued`` to ``signals.award_issued``, which
``services.award()`` sends once per newly created award after its transaction commits — never
for an idempotent retry that returns an existing award — so each award is e-mailed once. The
receiver enqueues ``send_award_email_task``; the task only calls ``send_award_email``.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from . import backpack, links
from .models import Award
from .services import award_status

log = logging.getLogger(__name__)


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


def send_award_email(award: Award) -> bool:
    """Tell the recipient about their new credential. Returns whether an e-mail was sent."""
    if award.is_revoked or not award.recipient_email:
        return False
    build_award_email(award).send()
    log.info("Award e-mail sent for award %s", award.pk)
    return True


@shared_task(
    name="credentials.send_award_email",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=True,
    max_retries=5,
)
def send_award_email_task(award_pk: int) -> bool:
    award = Award.objects.select_related("badge_class__issuer", "recipient").filter(pk=award_pk)
    found = award.first()
    return send_award_email(found) if found is not None else False


def on_award_issued(sender, award: Award, **kwargs) -> None:
    """Receiver of ``signals.award_issued`` (sent once per new award, after commit)."""
    try:
        send_award_email_task.delay(award.pk)
    except Exception:  # never let an e-mail problem fail the award that is already made
        log.exception("Could not send the award e-mail for award %s", award.pk)
