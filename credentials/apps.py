from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from credentials import checks, receivers, signals  # noqa: F401 - checks registers
        from credentials.conf import settings as conf

        conf.check()  # a malformed setting stops start-up, not each request that reads it
        from credentials.models import (
            ApprovalRequest,
            Award,
            BulkAward,
            Endorsement,
            ImportedCredential,
            Issuer,
            IssuerKey,
        )

        for signal, receiver, sender in (
            (signals.awards_issued, receivers.email_new_awards, Award),
            (signals.awards_to_bake, receivers.bake_new_awards, Award),
            (signals.award_email_due, receivers.email_awards_again, Award),
            (signals.award_revoked, receivers.email_revoked_award, Award),
            (signals.bulk_chunks_due, receivers.run_bulk_chunks, BulkAward),
            (signals.endorsement_changed, receivers.email_endorsed_institution, Endorsement),
            (signals.approval_requested, receivers.email_approval_request, ApprovalRequest),
            (signals.approval_decided, receivers.email_approval_decision, ApprovalRequest),
            (
                signals.imported_credential_changed,
                receivers.check_imported_credential,
                ImportedCredential,
            ),
            (post_save, receivers.keys_for_new_issuer, Issuer),
        ):
            signal.connect(receiver, sender=sender, dispatch_uid=f"credentials.{receiver.__name__}")
        for model in (Issuer, IssuerKey):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    receivers.forget_issuer_on_change,
                    sender=model,
                    dispatch_uid=f"credentials.forget_issuer.{model.__name__}.{name}",
                )
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                receivers.forget_award_on_revocation,
                sender=Award,
                dispatch_uid=f"credentials.forget_award.{name}",
            )
