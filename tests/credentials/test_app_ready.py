"""What ``CredentialsConfig.ready`` connects: the receivers production relies on, without any
test fixture connecting them."""

from credentials import receivers, signals
from credentials.models import ImportedCredential


def test_an_imported_credential_is_sent_to_our_verifier_when_it_changes():
    sync_receivers, _async = signals.imported_credential_changed._live_receivers(ImportedCredential)
    assert receivers.check_imported_credential in sync_receivers


def test_beat_checks_what_public_profiles_show_again_before_the_verdicts_expire():
    from django.conf import settings

    from credentials import tasks
    from credentials.conf import settings as conf

    entry = settings.CELERY_BEAT_SCHEDULE["credentials-recheck-public-imports"]
    assert entry["task"] == tasks.recheck_public_imports_task.name
    assert entry["schedule"] < conf.IMPORT_VERDICT_MAX_AGE_SECONDS
