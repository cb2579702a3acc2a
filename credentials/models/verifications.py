"""Who checked our credentials: one row per credential, verifier and day.

The figure issuers see ("checked by N verifiers") and any later impact report read this table,
and nothing else. A row is written only when the verifier reached a verdict about one of our
own credentials, genuine and signed by its institution (valid, revoked, expired, or genuine but
not the holder who was named): a tampered upload, a forgery that merely names one of our
credentials, or input that is not a badge at all is not a check of our credential.

No personal data: the verifier is a keyed hash of who asked (a signed-in account, or the
client's address and browser), salted with the day, so the same verifier is one row a day and
cannot be followed from one day to the next (:mod:`credentials.services.verifications`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from credentials.models.awards import Award


class VerificationEvent(models.Model):
    """One verifier checked one of our credentials on one day (counted once, however often)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="verifications")
    day = models.DateField()
    verifier = models.CharField(
        max_length=64, help_text=_("Keyed hash of who checked, salted with the day: no raw data.")
    )
    verdict = models.CharField(max_length=20, help_text=_("The verdict of that day's first check."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["award", "day", "verifier"], name="one_verification_per_verifier_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="verification_event_day")]

    def __str__(self) -> str:
        return f"{self.award_id} {self.day} {self.verdict}"
