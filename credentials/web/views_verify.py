"""The employer's verification page (/verify/) and what it shares with the API.

Thin: reading the input and the rate limit live here; the verdict comes from
:func:`credentials.verify.site.verify`, which hands :mod:`credentials.verify.engine` this site's
fetcher, records, cache, settings and clock, and whether it counts as a check of one of our
credentials is :func:`credentials.services.verifications.record_check`'s to decide. The
recipient e-mail is passed to the engine and nowhere else (never stored, logged or put in a
URL).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from credentials import services
from credentials.conf import settings as conf
from credentials.models import Award
from credentials.services import verifications
from credentials.verify import fetch
from credentials.verify.engine import MAX_INPUT_BYTES, VerificationResult
from credentials.verify.reading import UUID_RE
from credentials.verify.results import problem_message
from credentials.verify.site import id_lookup_fetcher, verify
from credentials.web.verify_language import GENUINE, in_reader_language
from lib import ratelimit

# A request body larger than this is refused before it is read.
MAX_REQUEST_BYTES = MAX_INPUT_BYTES + 256 * 1024


def client_address(request: HttpRequest) -> str:
    """The client's address; behind ``VERIFY_TRUSTED_PROXIES`` proxies, the one they saw."""
    proxies = int(conf.VERIFY_TRUSTED_PROXIES or 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(request: HttpRequest) -> int | None:
    """Count one verification for the client; seconds to wait if over the limit, else None."""
    limit, window = conf.VERIFY_RATE_LIMIT
    return ratelimit.hit(cache, f"verify-rate:{client_address(request)}", limit, window)


def too_large_result() -> VerificationResult:
    return VerificationResult(
        verdict="not_a_badge", problem="too_large", message=problem_message("too_large")
    )


def body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_REQUEST_BYTES


def run_verification(
    source: bytes | str, email: str | None, request: HttpRequest | None = None
) -> VerificationResult:
    """Verify, and count a check of one of our credentials (see :func:`count`).

    Outside fetches made for this check count against the client's own cap
    (``VERIFY_FETCH_MAX_PER_CLIENT``), so one client cannot hold every worker.
    """
    with fetch.client_scope(client_address(request) if request is not None else None):
        result = verify(source, email=email or None, fetcher=private_lookup(source, request))
    if request is not None:
        count(result, request)
    return result


def private_lookup(source: bytes | str, request: HttpRequest | None):
    """For a bare award id (``?id=``, the API's ``id``) of a *private* award, the fetcher that
    hides it from anyone but the learner and the issuer's staff (see
    :func:`credentials.verify.site.id_lookup_fetcher`); None otherwise (the real fetcher)."""
    given = source.strip() if isinstance(source, str) else ""
    if not UUID_RE.fullmatch(given):
        return None
    award = (
        Award.objects.select_related("badge_class__issuer").filter(public_id=given.lower()).first()
    )
    if award is None or award.is_public:
        return None
    user = getattr(request, "user", None)
    visible = (
        user is not None
        and user.is_authenticated
        and (
            award.recipient_id == user.pk
            or (
                services.can_act_for(user, award.badge_class.issuer)
                and services.second_factor_cleared(request)
            )
        )
    )
    return id_lookup_fetcher(given, visible=visible)


def count(result: VerificationResult, request: HttpRequest) -> None:
    """Count that this verifier checked one of our credentials, if the verdict says so.

    What counts is the service's rule (a genuine verdict about one of our own institutions'
    credentials, once a day per verifier); the verifier is a keyed hash of the signed-in
    account, or of the client's address (an IPv6 address by its /64), salted with the day.
    """
    trust = result.issuer_trust or {}
    if result.summary is None or trust.get("kind") != "platform":
        return
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    today = timezone.localdate()
    verifications.record_check(
        credential_id=result.summary.credential_id,
        issuer_id=trust.get("id", ""),
        verdict=result.verdict,
        verifier=verifications.verifier_key(
            day=today,
            user_id=user.pk if signed_in else None,
            address=client_address(request),
        ),
        user=user if signed_in else None,
        day=today,
    )


class _UnechoedEmailInput(forms.EmailInput):
    """An e-mail field whose value is never written back into the page (a 400 included)."""

    def format_value(self, value):
        return None


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Badge image or file"),
        required=False,
        allow_empty_file=True,  # an empty file gets its own message (clean)
        help_text=_lazy("A baked badge image (PNG or SVG), or a JSON or JWT file."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".png,.svg,.json,.jwt,.jws,.txt,image/png,image/svg+xml"}
        ),
    )
    text = forms.CharField(
        label=_lazy("Or paste a web address, JSON or token"),
        required=False,
        max_length=MAX_INPUT_BYTES,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "spellcheck": "false",
                "placeholder": _lazy("https://… or {…} or eyJ…"),
            }
        ),
    )
    email = forms.EmailField(
        label=_lazy("Check the recipient"),
        required=False,
        help_text=_lazy(
            "The e-mail address the candidate gave you. We compare it with the credential's "
            "hashed identity and never store it."
        ),
        widget=_UnechoedEmailInput(attrs={"autocomplete": "off"}),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        upload = cleaned.get("file")
        text = (cleaned.get("text") or "").strip()
        if upload is not None and upload.size == 0:
            self.add_error("file", _("The file you chose is empty. Choose the badge image again."))
        elif upload is None and not text and not self.has_error("text"):
            raise forms.ValidationError(
                _(
                    "Give us something to check: drop or choose the badge file, or paste its web "
                    "address, JSON or token."
                ),
                code="empty",
            )
        return cleaned


@dataclass
class _Input:
    source: bytes | str | None
    email: str | None


def _form_input(form: VerifyForm) -> _Input:
    upload = form.cleaned_data.get("file")
    email = form.cleaned_data.get("email") or None
    if upload is not None:
        if upload.size > MAX_INPUT_BYTES:
            return _Input(source=None, email=email)
        return _Input(source=upload.read(), email=email)
    return _Input(source=form.cleaned_data.get("text") or "", email=email)


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    partial = request.headers.get("X-Requested-With") == "verify.js"
    context["partial"] = partial
    template = "credentials/partials/verify_result.html" if partial else "credentials/verify.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    """Drop or choose a file, paste a URL / JSON / JWT, or arrive from a QR code (?id=…)."""
    context: dict = {"max_mb": MAX_INPUT_BYTES // (1024 * 1024)}
    if request.method == "GET" and not request.GET.get("id"):
        context["form"] = VerifyForm()
        return _render(request, context)
    if request.method == "POST" and body_too_large(request):
        context["form"] = VerifyForm()
        context["result"] = too_large_result()
        return _render(request, context, status=413)
    wait = rate_limited(request)
    if wait is not None:
        context["form"] = VerifyForm()
        context["rate_limited"] = wait
        response = _render(request, context, status=429)
        response["Retry-After"] = str(wait)
        return response
    if request.method == "GET":
        context["form"] = VerifyForm()
        context["result"] = run_verification(request.GET["id"], None, request)
        context["shown"] = in_reader_language(context["result"], get_language())
        context["genuine"] = context["result"].verdict in GENUINE
        context["checked"] = request.GET["id"]
        response = _render(request, context)
        # The answer depends on who asks (a private award's learner sees it): no cache keeps it.
        response["Cache-Control"] = "private, no-store"
        return response
    form = VerifyForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return _render(request, context, status=400)
    data = _form_input(form)
    if data.source is None:
        context["result"] = too_large_result()
        return _render(request, context, status=413)
    context["result"] = run_verification(data.source, data.email, request)
    context["shown"] = in_reader_language(context["result"], get_language())
    context["genuine"] = context["result"].verdict in GENUINE
    # Never echo the e-mail back into the page: a fresh form for the next check.
    context["form"] = VerifyForm(initial={"text": form.cleaned_data.get("text", "")[:2000]})
    return _render(request, context)
