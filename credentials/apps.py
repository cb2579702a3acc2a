from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from . import emails, keystore, signals  # noqa: F401 - keystore connects the issuer-key hook

        signals.awards_issued.connect(
            emails.on_awards_issued, dispatch_uid="credentials.emails.on_awards_issued"
        )
