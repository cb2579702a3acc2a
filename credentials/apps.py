from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from . import emails, keystore, signals  # noqa: F401 - keystore connects the issuer-key hook

        signals.award_issued.connect(
            emails.on_award_issued, dispatch_uid="credentials.emails.on_award_issued"
        )
