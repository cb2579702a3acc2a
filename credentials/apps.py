from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from . import emails, keystore, signals  # noqa: F401 - keystore connects the issuer-key hook

        signals.awards_issued.connect(
            emails.on_awards_issued, dispatch_uid="credentials.emails.on_awards_issued"
        )
        from django.db.models.signals import post_delete, post_save

        from . import receivers
        from .models import Award, Issuer, IssuerKey

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
