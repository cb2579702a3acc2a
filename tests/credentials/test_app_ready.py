"""What ``CredentialsConfig.ready`` connects: the receivers production relies on, without any
test fixture connecting them."""

from credentials import receivers, signals
from credentials.models import ImportedCredential


def test_an_imported_credential_is_sent_to_our_verifier_when_it_changes():
    sync_receivers, _async = signals.imported_credential_changed._live_receivers(ImportedCredential)
    assert receivers.check_imported_credential in sync_receivers
