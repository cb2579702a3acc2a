"""A learner's own data: download all of it (a ZIP), or delete the account.

The export is one ZIP, written while it is sent (:func:`export_chunks`): ``data.json`` (the
profile, e-mail addresses, sign-in methods, enrolments with progress, quiz attempts and
reflections, mentoring goals, sessions and ratings, and every credential with its claim
history), and per credential its files: the OB 2.0 assertion (JSON) and signed assertion (JWS),
the OB 3.0 credential (JSON) and VC-JWT, the four baked images and the PDF certificate.

Deleting (:func:`delete_account`) removes the person and keeps the records others count:
the account row stays, emptied and locked, as "Deleted learner", so mentoring sessions,
ratings, enrolments and course reports keep their numbers; awards are detached (no recipient,
no e-mail, no name) but keep their salt and hashed identity, so a holder can still prove the
address to a verifier. Atomic, and a second call changes nothing.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from credentials.services import exports, profiles
from lib import pagecache

DELETED_NAME = "Deleted learner"
DELETED_DOMAIN = "deleted.invalid"
DELETED_EMAIL = f"deleted@{DELETED_DOMAIN}"
CONFIRMATION = "DELETE"


class AccountDataError(Exception):
    """Why an account cannot be deleted now, in words for the person (``field``: the form field)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def is_deleted(user: Any) -> bool:
    return (user.email or "").endswith("@" + DELETED_DOMAIN)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- the export ---------------------------------------------------------------------------


def _profile(user: Any) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    from cms import roles

    return {
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "time_zone": user.time_zone,
        "language": user.language,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "roles": [str(role) for role in roles.roles_of(user)],
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "social_accounts": [
            {"provider": s.provider, "uid": s.uid, "date_joined": _when(s.date_joined)}
            for s in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "two_factor_methods": [
            {"type": a.type, "created_at": _when(a.created_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "institutions_you_act_for": [i.name for i in user.issuers.order_by("name")],
    }


def _learning(user: Any) -> list[dict[str, Any]]:
    from learning.models import Enrolment

    enrolments = (
        Enrolment.objects.filter(user=user)
        .select_related("course")
        .prefetch_related("lessons_done__lesson", "attempts__lesson", "reflections__lesson")
        .order_by("enrolled_at", "pk")
    )
    return [
        {
            "course": e.course.title,
            "status": e.status,
            "enrolled_at": _when(e.enrolled_at),
            "last_activity_at": _when(e.last_activity_at),
            "left_at": _when(e.left_at),
            "completed_at": _when(e.completed_at),
            "lessons_done": [
                {"lesson": p.lesson.title, "completed_at": _when(p.completed_at)}
                for p in e.lessons_done.all()
            ],
            "quiz_attempts": [
                {
                    "lesson": a.lesson.title,
                    "quiz": a.quiz_id,
                    "attempt": a.number,
                    "answers": a.answers,
                    "score": a.score,
                    "pass_mark": a.pass_mark,
                    "passed": a.passed,
                    "submitted_at": _when(a.submitted_at),
                }
                for a in e.attempts.all()
            ],
            "reflections": [
                {"lesson": r.lesson.title, "text": r.text, "updated_at": _when(r.updated_at)}
                for r in e.reflections.all()
            ],
        }
        for e in enrolments
    ]


def _mentoring(user: Any) -> dict[str, Any]:
    from mentoring.models import LearnerGoals, MentorSession, SessionNote

    goals = LearnerGoals.objects.filter(user=user).prefetch_related("competences").first()
    sessions = (
        MentorSession.objects.filter(learner=user)
        .select_related("mentor__user")
        .order_by("starts_at", "pk")
    )
    own_notes: dict[int, list[dict[str, Any]]] = {}
    shared = SessionNote.objects.filter(session__learner=user, shared=True).order_by("pk")
    for note in shared:
        own_notes.setdefault(note.session_id, []).append(
            {"text": note.body, "created_at": _when(note.created_at)}
        )
    return {
        "goals": None
        if goals is None
        else {
            "competences": [str(c) for c in goals.competences.all()],
            "text": goals.goals,
        },
        "sessions": [
            {
                "mentor": str(s.mentor),
                "starts_at": _when(s.starts_at),
                "ends_at": _when(s.ends_at),
                "status": s.status,
                "goal": s.goal,
                "agenda": s.agenda,
                "cancellation_reason": s.cancellation_reason,
                "rating": s.rating,
                "feedback": s.feedback,
                "feedback_at": _when(s.feedback_at),
                "notes_shared_with_you": own_notes.get(s.pk, []),
            }
            for s in sessions
        ],
    }


def _awards(user: Any) -> list[Any]:
    from credentials.models import Award

    return list(
        Award.objects.filter(recipient=user)
        .select_related("badge_class__issuer")
        .order_by("issued_on", "pk")
    )


def _award_entry(award: Any, folder: str) -> dict[str, Any]:
    return {
        "badge": award.badge_class.name,
        "issuer": award.badge_class.issuer.name,
        "id": str(award.public_id),
        "issued_on": _when(award.issued_on),
        "valid_until": _when(award.valid_until),
        "public": award.is_public,
        "revoked_at": _when(award.revoked_at),
        "revocation_reason": award.revocation_reason,
        "evidence": award.evidence,
        # The claim history: the address it was awarded to, when, when it was e-mailed.
        "awarded_to_email": award.recipient_email,
        "awarded_to_name": award.recipient_name,
        "recorded_at": _when(award.created_at),
        "emailed_at": _when(award.notified_at),
        "files": f"{folder}/",
    }


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")


def export_data(user: Any) -> dict[str, Any]:
    """Everything ``data.json`` holds about ``user`` (their own records only)."""
    awards = _awards(user)
    return {
        "exported_at": _when(timezone.now()),
        "profile": _profile(user),
        "learning": _learning(user),
        "mentoring": _mentoring(user),
        "credentials": [_award_entry(a, _folder(n, a)) for n, a in enumerate(awards, start=1)],
        **profiles.export_of(user),
        "other_systems": _other_systems(user),
    }


def _other_systems(user: Any) -> dict[str, Any]:
    """The applications holding access to the backpack, the other backpacks it is connected
    to, and the wallets that received a credential (issue 17)."""
    from oauth2_provider.models import get_access_token_model, get_refresh_token_model

    from credentials.models import RemoteConnection, WalletCredential

    applications: dict[int, dict[str, Any]] = {}
    for model in (get_access_token_model(), get_refresh_token_model()):
        for token in model.objects.filter(user=user).select_related("application"):
            if token.application is None:
                continue
            entry = applications.setdefault(
                token.application_id,
                {"application": token.application.name, "scopes": set(), "since": token.created},
            )
            entry["scopes"].update(getattr(token, "scope", "").split())
            entry["since"] = min(entry["since"], token.created)
    return {
        "applications": [
            {**entry, "scopes": sorted(entry["scopes"]), "since": _when(entry["since"])}
            for entry in applications.values()
        ],
        "connected_backpacks": [
            {
                "host": connection.host.base_url,
                "connected_at": _when(connection.connected_at),
                "last_pulled_at": _when(connection.last_pulled_at),
            }
            for connection in RemoteConnection.objects.filter(user=user).select_related("host")
        ],
        "wallets": [
            {
                "credential": str(issued.offer.award.public_id),
                "format": issued.format,
                "holder": issued.holder_id,
                "issued_at": _when(issued.issued_at),
            }
            for issued in WalletCredential.objects.filter(offer__created_by=user).select_related(
                "offer__award"
            )
        ],
    }


def _folder(number: int, award: Any) -> str:
    return f"credentials/{number:03d}-{award.badge_class.slug or 'badge'}-{award.public_id}"


class _Sink:
    """A write-only stream that hands on what :mod:`zipfile` wrote (no seeking: the ZIP is
    written with data descriptors, one entry after another)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def export_chunks(user: Any) -> Iterator[bytes]:
    """The ZIP of ``user``'s data, in pieces as each file is written (for a streaming answer:
    a learner with many credentials gets the first bytes at once, nothing waits for the end)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", _dumps(export_data(user)))
        yield sink.take()
        for number, award in enumerate(_awards(user), start=1):
            folder = _folder(number, award)
            for name, data in exports.award_files(award):
                archive.writestr(f"{folder}/{name}", data)
                yield sink.take()
        for name, data in profiles.export_files(user):
            archive.writestr(name, data)
            yield sink.take()
    yield sink.take()


# --- deletion -----------------------------------------------------------------------------


def deletion_blockers(user: Any) -> list[str]:
    """What must happen before ``user`` may delete the account (empty: nothing)."""
    problems = []
    for issuer in user.issuers.order_by("name"):
        if not issuer.staff.exclude(pk=user.pk).filter(is_active=True).exists():
            problems.append(
                _(
                    "You are the last staff member of %(institution)s. Add a colleague as staff "
                    "of the institution and hand it over first."
                )
                % {"institution": issuer.name}
            )
    if hasattr(user, "mentor_profile"):
        problems.append(
            _(
                "You are a mentor: ask the team to retire your mentor profile first, so your "
                "learners' sessions are looked after."
            )
        )
    return problems


def _forget_sessions(user: Any) -> None:
    """Sign the person out everywhere (the database sessions holding their id)."""
    wanted = str(user.pk)
    stale = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") == wanted
    ]
    Session.objects.filter(session_key__in=stale).delete()


LEFT = "The learner deleted their account."


def _cancel_upcoming(user: Any) -> None:
    from mentoring import services as mentoring
    from mentoring.models import MentorSession

    upcoming = MentorSession.objects.filter(
        learner=user, status__in=MentorSession.ACTIVE, ends_at__gt=timezone.now()
    ).select_related("mentor")
    for session in upcoming:
        try:
            mentoring.cancel(session, by=user, reason=LEFT)
        except mentoring.MentoringError as error:
            raise AccountDataError(
                _(
                    "Your session with %(mentor)s on %(date)s can no longer be cancelled here "
                    "(%(reason)s). Delete your account after it."
                )
                % {
                    "mentor": session.mentor,
                    "date": formats.date_format(session.starts_at, "DATE_FORMAT"),
                    "reason": error,
                }
            ) from error


def _anonymise(user: Any) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    from credentials.models import ApprovalRequest, Award, BulkAward
    from learning.models import ReflectionAnswer
    from mentoring.models import CalendarFeed, LearnerGoals, MentorSession, SessionNote

    # Credentials: detached, still verifiable (salt and identity hash stay), private (their
    # page and documents may name the person), and no key or bulk row keeps the address.
    held = list(Award.objects.select_for_update().filter(recipient=user))
    addresses = {award.recipient_email for award in held} | {user.email.lower()}
    done = BulkAward.Status.DONE  # a job still running needs its rows to finish
    jobs = {a.bulk_award_id for a in held} - {None}
    for job in BulkAward.objects.filter(pk__in=jobs, status=done):
        job.rows = [
            {**row, "email": DELETED_EMAIL, "name": DELETED_NAME}
            if str(row.get("email", "")).lower() in addresses
            else row
            for row in job.rows
        ]
        job.save(update_fields=["rows"])
    for award in held:
        award.recipient = None
        award.recipient_email = award.recipient_name = ""
        award.is_public = False
        award.idempotency_key = f"deleted:{award.public_id}"
    Award.objects.bulk_update(
        held, ["recipient", "recipient_email", "recipient_name", "is_public", "idempotency_key"]
    )
    # bulk_update sends no post_save: drop every stored page and document of these awards (on
    # commit), or anonymous visitors would go on reading the name and evidence from the cache.
    pagecache.bump(*(pagecache.award_tag(award.public_id) for award in held))
    # Approvals: what the person still asked for is withdrawn; the desk no longer names them.
    ApprovalRequest.objects.filter(requested_by=user, state=ApprovalRequest.State.PENDING).update(
        state=ApprovalRequest.State.WITHDRAWN
    )
    ApprovalRequest.objects.filter(kind=ApprovalRequest.Kind.STAFF, subject_id=user.pk).update(
        subject_label=DELETED_NAME, subject_url=""
    )
    # Mentoring: the sessions and ratings stay for the mentor's counts, without the words.
    SessionNote.objects.filter(author=user).delete()
    MentorSession.objects.filter(learner=user).update(agenda="", goal="", feedback="")
    MentorSession.objects.filter(learner=user, cancelled_by=user).exclude(
        cancellation_reason=LEFT
    ).update(cancellation_reason="")
    LearnerGoals.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    # Learning: enrolments and progress stay for the course reports; reflections are words.
    ReflectionAnswer.objects.filter(enrolment__user=user).delete()
    # Other systems: imported credentials and the public profile go; applications lose their
    # access; tokens to other backpacks and wallet offers go (issue 17).
    _forget_other_systems(user)
    # Sign-in: addresses, linked accounts, second factors.
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.issuers.clear()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-{uuid.uuid4().hex}@{DELETED_DOMAIN}"
    user.display_name = DELETED_NAME
    user.first_name = user.last_name = ""
    user.time_zone = "UTC"
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()


def _forget_other_systems(user: Any) -> None:
    from oauth2_provider.models import (
        get_access_token_model,
        get_grant_model,
        get_id_token_model,
        get_refresh_token_model,
    )

    from credentials.models import RemoteConnection, WalletOffer

    profiles.forget(user)
    RemoteConnection.objects.filter(user=user).delete()
    WalletOffer.objects.filter(created_by=user).delete()
    for model in (
        get_refresh_token_model(),
        get_access_token_model(),
        get_id_token_model(),
        get_grant_model(),
    ):
        model.objects.filter(user=user).delete()


def delete_account(user: Any, *, password: str, confirmation: str) -> bool:
    """Delete ``user``'s account after they gave their password and typed ``CONFIRMATION``.

    Returns False when it was already deleted (a second click changes nothing), True when it
    deleted now. Raises :class:`AccountDataError` for a wrong password or confirmation, or
    while the person is the last staff of an institution or a mentor.
    """
    User = get_user_model()
    if is_deleted(user):
        return False
    if (confirmation or "").strip() != CONFIRMATION:
        raise AccountDataError(
            _("Type %(word)s to confirm.") % {"word": CONFIRMATION}, field="confirmation"
        )
    if not user.check_password(password or ""):
        raise AccountDataError(_("That is not your password."), field="password")
    problems = deletion_blockers(user)
    if problems:
        raise AccountDataError(" ".join(problems))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if is_deleted(locked):
            return False
        if deletion_blockers(locked):  # a colleague left meanwhile
            raise AccountDataError(" ".join(deletion_blockers(locked)))
        _cancel_upcoming(locked)
        _anonymise(locked)
        _forget_sessions(locked)
    user.refresh_from_db()
    return True
