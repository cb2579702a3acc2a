"""The e-mail a learner receives when a badge is awarded (HTML and text, image and links).

``services.award_many()`` (and so ``award()``) sends ``signals.awards_issued`` once per batch of
newly created awards after its transaction commits — never for an idempotent retry that returns
an existing award. ``receivers.email_new_awards`` then enqueues one ``send_award_emails`` task
per batch. A bulk award's chunk instead calls ``send_award_emails`` itself once its awards are
signed (one mail-server connection per chunk, so the e-mails do not wait behind the chunks
still queued). ``Award.notified_at`` makes the e-mail go out once even when either runs twice.
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from credentials import signals
from credentials.issuing import links
from credentials.issuing.status import award_status
from credentials.models import Award, Endorsement
from credentials.models.editions import in_language
from credentials.services import backlog, backpack
from credentials.services.issuers import can_act_for
from lib.i18n import in_language_of, language_of

log = logging.getLogger(__name__)
OVERDUE_AFTER = timedelta(minutes=15)
OVERDUE_GIVE_UP = timedelta(days=2)
CLAIM_LEASE = timedelta(minutes=10)


# How learning names the course in an award's first evidence (learning.services.completion.
# award_evidence): the e-mail names the course only for an award that came from one.
_COURSE_EVIDENCE = re.compile(r"^Completed the course “(?P<course>.+)”$")


def credential_kind(badge) -> str:
    """What the e-mail calls the credential: its kind in plain words, never its subject.

    The Open Badges achievement type says what was achieved (a course, a competency …);
    "you have been awarded the course …" misleads, so those read as "badge".
    """
    types = type(badge).AchievementType
    if badge.is_micro_credential or badge.achievement_type == types.MICRO_CREDENTIAL:
        return pgettext("credential kind", "micro-credential")
    if badge.achievement_type == types.CERTIFICATE:
        return pgettext("credential kind", "certificate")
    return pgettext("credential kind", "badge")


def awarded_for_course(award: Award) -> str:
    """The title of the course the award was earned by completing, or "" if not from one."""
    for evidence in award.evidence or []:
        found = _COURSE_EVIDENCE.match(str((evidence or {}).get("name", "")).strip())
        if found:
            return found["course"]
    return ""


def award_email_context(award: Award, urls: backpack.AwardUrls | None = None) -> dict:
    """What the award e-mail says; ``urls`` shares reversed URLs across a batch of e-mails."""
    # Rendered in the recipient's language: the badge's edition in it, where there is one.
    badge, issuer, user = in_language(award.badge_class), award.badge_class.issuer, award.recipient
    downloads = [
        {
            "label": _("%(label)s (%(group)s)") % {"label": d.label, "group": d.group},
            "url": settings.SITE_URL + d.url,
        }
        for d in backpack.downloads(award, urls)
        if d.name in {"award_png2", "award_png3", "award_pdf"}
    ]
    return {
        "award": award,
        "badge": badge,
        "kind": credential_kind(badge),
        "course": awarded_for_course(award),
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


def _language_of_user(user) -> str | None:
    """The language of a person who triggered an e-mail (an awarder, a revoker …), if any."""
    return getattr(user, "language", None) if user is not None else None


def _in_language_of_holder(award: Award, by):
    """Render for an award's holder: an account reads its own language (the site's default if
    it has none we offer); an address without an account, the language of ``by``, the person
    who acted (else the site's default)."""
    if award.recipient is not None:
        return in_language_of(award.recipient)
    return in_language_of(None, fallback=_language_of_user(by))


def _by_language(people, fallback: str | None = None) -> dict[str, list[str]]:
    """Addresses grouped by the language their person reads (the site's default first)."""
    groups: dict[str, list[str]] = {}
    for person in people:
        if person.email:
            groups.setdefault(language_of(person, fallback), []).append(person.email)
    return {lang: sorted(set(emails)) for lang, emails in groups.items()}


def build_award_email(
    award: Award, urls: backpack.AwardUrls | None = None
) -> EmailMultiAlternatives:
    """The award e-mail, in the recipient's language (for an e-mail address without an
    account: the language of the person who awarded it, else the site's default)."""
    with _in_language_of_holder(award, award.awarded_by):
        context = award_email_context(award, urls)
        subject = " ".join(render_to_string("credentials/email/award_subject.txt", context).split())
        text = render_to_string("credentials/email/award.txt", context)
        html = render_to_string("credentials/email/award.html", context)
    message = EmailMultiAlternatives(subject, text, to=[award.recipient_email])
    message.attach_alternative(html, "text/html")
    return message


def _claim(award_pk: int, now) -> bool:
    """Take the award's e-mail for this sender, atomically: not yet sent, and nobody else is
    sending it (a claim older than CLAIM_LEASE is a sender that died, and is taken over)."""
    return bool(
        Award.objects.filter(pk=award_pk, notified_at=None)
        .filter(Q(email_claimed_at=None) | Q(email_claimed_at__lt=now - CLAIM_LEASE))
        .update(email_claimed_at=now)
    )


def send_award_email(award: Award, connection=None, urls: backpack.AwardUrls | None = None) -> bool:
    """Tell the recipient about their new credential, once. Returns whether an e-mail was sent.

    The award is claimed before the mail server is asked (the same task delivered twice, or a
    sweep racing it, then sends nothing), marked sent as soon as the server accepts it, and
    released again when the server refuses (so a retry sends it).
    """
    if award.is_revoked or not award.recipient_email:
        return False
    claimed_at = timezone.now()
    if not _claim(award.pk, claimed_at):
        return False
    try:
        message = build_award_email(award, urls)
        message.connection = connection
        message.send()
    except BaseException:
        Award.objects.filter(pk=award.pk, email_claimed_at=claimed_at).update(email_claimed_at=None)
        raise
    Award.objects.filter(pk=award.pk).update(
        notified_at=timezone.now(), email_claimed_at=None, email_failed_at=None, email_error=""
    )
    log.info("Award e-mail sent for award %s", award.pk)
    return True


def _refused_for_good(error: smtplib.SMTPException) -> bool:
    """A 5xx answer about this message or address: retrying will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    return getattr(error, "smtp_code", 0) >= 500


def describe(error: BaseException) -> str:
    """A mail server's refusal in words staff can pass on (its code and message)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (0, b""))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return f"{type(error).__name__}: {error}"[:500]
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"the mail server answered {code} {text}".strip()[:500]


def record_failure(award_pks: list[int], error: BaseException) -> int:
    """The last retry failed: say so on each award not yet e-mailed (staff see it, and resend)."""
    log.warning("Award e-mails for awards %s not delivered: %s", award_pks, error)
    return Award.objects.filter(pk__in=award_pks, notified_at=None).update(
        email_failed_at=timezone.now(), email_error=describe(error), email_claimed_at=None
    )


def send_award_emails(award_pks: list[int]) -> int:
    """E-mail every award of ``award_pks`` not yet e-mailed, over one mail-server connection.

    Each award is marked as e-mailed as soon as the server accepts its message, so a retry
    after a failure halfway sends only the rest. An address the server refuses for good (5xx)
    is recorded on its award and the others still go out; anything else (a server that is
    down or says "try later") is raised for the task to retry. Returns how many were sent.
    """
    awards = Award.objects.filter(pk__in=award_pks, notified_at=None).select_related(
        "badge_class__issuer", "recipient", "awarded_by"
    )
    sent = 0
    urls = backpack.AwardUrls()  # each download link reversed once for the batch
    with get_connection() as connection:
        for award in awards.order_by("pk"):
            try:
                sent += send_award_email(award, connection, urls)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                if not _refused_for_good(error):
                    raise
                record_failure([award.pk], error)
    return sent


def send_overdue_award_emails(now=None, older_than: timedelta = OVERDUE_AFTER) -> int:
    """E-mail awards whose e-mail never went out (a worker lost mid-batch, the task queue down
    when they were made), from beat. Awards whose e-mail failed for good wait for staff."""
    now = now or timezone.now()
    overdue = Award.objects.filter(
        notified_at=None,
        revoked_at=None,
        email_failed_at=None,
        created_at__lt=now - older_than,
        created_at__gt=now - OVERDUE_GIVE_UP,
    )
    return send_award_emails(list(overdue.values_list("pk", flat=True)[:1000]))


def request_resend(award: Award, by) -> bool:
    """Staff ask for an award e-mail that was not delivered to be sent again.

    Clears the recorded failure and, after commit, sends ``award_email_due`` (a receiver queues
    the e-mail). False when there is nothing to resend (already sent, or revoked).
    """
    if not can_act_for(by, award.badge_class.issuer):
        raise PermissionError(f"{by} does not act for {award.badge_class.issuer}.")
    with transaction.atomic():
        cleared = Award.objects.filter(pk=award.pk, notified_at=None, revoked_at=None).update(
            email_failed_at=None, email_error="", email_claimed_at=None
        )
        if cleared:
            pk = award.pk
            transaction.on_commit(
                lambda: signals.award_email_due.send(sender=Award, award_pks=[pk])
            )
    return bool(cleared)


def revocation_recipient(award: Award) -> str:
    """Where the revocation e-mail goes: the holder's account address, else the award's."""
    account = award.recipient
    return (account.email if account is not None and account.email else "") or (
        award.recipient_email
    )


def build_revocation_email(award: Award) -> EmailMultiAlternatives:
    """The revocation e-mail, in the holder's language (for an e-mail address without an
    account: the language of the person who revoked it, else the site's default)."""
    with _in_language_of_holder(award, award.revoked_by):
        return _build_revocation_email(award)


def _build_revocation_email(award: Award) -> EmailMultiAlternatives:
    badge, issuer = in_language(award.badge_class), award.badge_class.issuer
    context = {
        "award": award,
        "badge": badge,
        "kind": credential_kind(badge),
        "issuer": issuer,
        "name": award.recipient_name
        or (award.recipient.get_short_name() if award.recipient else ""),
        "public_url": links.award_url(award),
        "has_account": award.recipient_id is not None,
        "backpack_url": settings.SITE_URL + reverse("credentials_manage:backpack"),
        "contact": issuer.email,
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("credentials/email/revoked_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string("credentials/email/revoked.txt", context),
        to=[revocation_recipient(award)],
        reply_to=[issuer.email] if issuer.email else None,  # a reply reaches the institution
    )
    message.attach_alternative(
        render_to_string("credentials/email/revoked.html", context), "text/html"
    )
    return message


def send_revocation_email(award_pk: int) -> bool:
    """Tell the recipient that their credential was revoked: why, when, what it means, and its
    page. Once: the award is marked before the mail server is asked (a second run, or the same
    task delivered twice, sends nothing) and unmarked if the server fails, so a retry sends it.
    Returns whether an e-mail was sent."""
    award = (
        Award.objects.select_related("badge_class__issuer", "recipient", "revoked_by")
        .filter(pk=award_pk, revoked_at__isnull=False)
        .first()
    )
    if award is None or not revocation_recipient(award):
        return False
    now = timezone.now()
    if not Award.objects.filter(pk=award.pk, revocation_notified_at=None).update(
        revocation_notified_at=now
    ):
        return False
    try:
        build_revocation_email(award).send()
    except BaseException:
        Award.objects.filter(pk=award.pk, revocation_notified_at=now).update(
            revocation_notified_at=None
        )
        raise
    log.info("Revocation e-mail sent for award %s", award.pk)
    return True


def send_overdue_revocation_emails(now=None, older_than: timedelta | None = None) -> int:
    """Send the revocation e-mails that never went out (the task queue was down when the award
    was revoked), from beat, with the award e-mails' sweep. Each once: ``send_revocation_email``
    claims it. Returns how many were sent."""
    if older_than is None:
        pks = backlog.unnotified_revocation_pks(now)
    else:
        pks = backlog.unnotified_revocation_pks(now, older_than=older_than)
    return sum(send_revocation_email(pk) for pk in pks)


def send_endorsement_email(endorsement: Endorsement, withdrawn: bool = False) -> bool:
    """Tell the endorsed badge's institution (its address and its staff). Returns whether sent.

    Each member of staff reads it in their own language (one message per language); the
    institution's address, which is nobody's, in the language of the person who endorsed or
    withdrew (else the site's default), with whichever staff read that language."""
    badge, endorser = endorsement.badge_class, endorsement.endorser
    issuer = badge.issuer
    by = endorsement.withdrawn_by if withdrawn else endorsement.endorsed_by
    groups = _by_language(issuer.staff.filter(is_active=True).only("email", "language"))
    if issuer.email and not any(issuer.email in emails for emails in groups.values()):
        groups.setdefault(language_of(None, _language_of_user(by)), []).insert(0, issuer.email)
    if not groups:
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
    for language, recipients in groups.items():
        with in_language_of(None, fallback=language):
            subject = " ".join(
                render_to_string("credentials/email/endorsement_subject.txt", context).split()
            )
            to = [issuer.email] if issuer.email in recipients else recipients[:1]
            message = EmailMultiAlternatives(
                subject,
                render_to_string("credentials/email/endorsement.txt", context),
                to=to,
                bcc=sorted(r for r in recipients if r not in to),
            )
            message.attach_alternative(
                render_to_string("credentials/email/endorsement.html", context), "text/html"
            )
        message.send()
    return True


def send_endorsement_email_for(endorsement_pk: int, withdrawn: bool = False) -> bool:
    """The endorsement e-mail by primary key (what the task runs); nothing if the news changed."""
    found = (
        Endorsement.objects.select_related(
            "badge_class__issuer", "endorser", "endorsed_by", "withdrawn_by"
        )
        .filter(pk=endorsement_pk)
        .first()
    )
    if found is None or found.is_withdrawn != withdrawn:
        return False  # withdrawn (or given again) meanwhile: that news is on its way instead
    return send_endorsement_email(found, withdrawn)


def send_approval_email(approval_pk: int, decided: bool) -> bool:
    """A request arrived (to the institution's staff) or was decided (to the person who asked).

    Nothing is sent when the request changed meanwhile, or when the person who asked decided it
    themselves (staff approved at once). Returns whether an e-mail was sent."""
    from credentials.models import ApprovalRequest  # noqa: PLC0415 — same layer, kept local

    approval = (
        ApprovalRequest.objects.select_related("issuer", "requested_by", "decided_by")
        .filter(pk=approval_pk)
        .first()
    )
    if approval is None or approval.is_pending == decided:
        return False
    if decided:
        who = approval.requested_by
        if who is None or not who.email or approval.decided_by_id == who.pk:
            return False
        groups = {language_of(who): [who.email]}  # the person who asked, in their language
    else:  # each member of staff in their own language: one message per language
        groups = _by_language(
            approval.issuer.staff.filter(is_active=True).only("email", "language")
        )
        if not groups:
            return False
    context = {
        "approval": approval,
        "issuer": approval.issuer,
        "desk_url": settings.SITE_URL
        + reverse("credentials_manage:approvals", args=[approval.issuer.slug]),
        "mine_url": settings.SITE_URL + reverse("credentials_manage:my_approvals"),
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
    }
    name = "decided" if decided else "requested"
    for language, recipients in groups.items():
        with in_language_of(None, fallback=language):
            subject = " ".join(
                render_to_string(f"credentials/approvals/email_{name}_subject.txt", context).split()
            )
            body = render_to_string(f"credentials/approvals/email_{name}.txt", context)
        message = EmailMultiAlternatives(subject, body, to=recipients[:1], bcc=recipients[1:])
        message.send()
    return True
