"""Every credentials e-mail is rendered in its recipient's language, whoever triggered it.

The catalogues hold no German yet, so a spy on the e-mail module's ``render_to_string`` records
the language active while each template is rendered. Each test triggers its e-mail inside a
request-like ``translation.override`` of another language (the person acting), so the
recipient's language, not the actor's, is what must be seen.
"""

import pytest
from django.core import mail
from django.utils import translation

from credentials import services
from credentials.models import ApprovalRequest
from credentials.services import approvals, emails, endorsements
from tests.credentials.factories import make_badge

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(monkeypatch):
    """(template name, active language) for each template the e-mail module renders."""
    seen: list[tuple[str, str]] = []
    real = emails.render_to_string

    def spy(template_name, context=None, *args, **kwargs):
        seen.append((template_name, translation.get_language()))
        return real(template_name, context, *args, **kwargs)

    monkeypatch.setattr(emails, "render_to_string", spy)
    return seen


def languages(seen, part: str) -> set[str]:
    return {language for name, language in seen if part in name}


@pytest.fixture
def pitch(uni):
    return make_badge(uni, "pitcher", name="Pitch Practitioner")


def award_as(capture, language: str, *args, **kwargs):
    with translation.override(language), capture(execute=True):
        return services.award(*args, **kwargs)


# The award e-mail


def test_an_award_e_mail_is_in_the_recipients_language(
    pitch, learner, staff, rendered, django_capture_on_commit_callbacks
):
    learner.language = "de"
    learner.save(update_fields=["language"])
    award_as(django_capture_on_commit_callbacks, "fr", pitch, learner, awarded_by=staff)
    assert len(mail.outbox) == 1
    assert languages(rendered, "credentials/email/award") == {"de"}


@pytest.mark.parametrize("language", ["", "xx"])
def test_a_recipient_without_a_language_we_offer_reads_the_site_default(
    pitch, learner, staff, rendered, django_capture_on_commit_callbacks, settings, language
):
    staff.language = "fr"
    staff.save(update_fields=["language"])
    type(learner).objects.filter(pk=learner.pk).update(language=language)
    learner.refresh_from_db()
    award_as(django_capture_on_commit_callbacks, "fr", pitch, learner, awarded_by=staff)
    assert len(mail.outbox) == 1
    assert languages(rendered, "credentials/email/award") == {settings.LANGUAGE_CODE}


def test_an_address_without_an_account_reads_the_awarders_language(
    pitch, staff, rendered, django_capture_on_commit_callbacks
):
    staff.language = "pl"
    staff.save(update_fields=["language"])
    award_as(django_capture_on_commit_callbacks, "fr", pitch, "new@example.org", awarded_by=staff)
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert languages(rendered, "credentials/email/award") == {"pl"}


def test_an_address_without_an_account_nor_an_awarder_reads_the_site_default(
    pitch, rendered, django_capture_on_commit_callbacks, settings
):
    award_as(django_capture_on_commit_callbacks, "fr", pitch, "new@example.org")
    assert len(mail.outbox) == 1
    assert languages(rendered, "credentials/email/award") == {settings.LANGUAGE_CODE}


# The revocation e-mail


def test_a_revocation_e_mail_is_in_the_holders_language(
    pitch, learner, staff, rendered, django_capture_on_commit_callbacks
):
    learner.language = "nl"
    learner.save(update_fields=["language"])
    award = services.award(pitch, learner)
    mail.outbox.clear()
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        services.revoke(award, "Plagiarised.", by=staff)
    assert len(mail.outbox) == 1
    assert languages(rendered, "credentials/email/revoked") == {"nl"}


# The endorsement e-mail: one message per language of the institution's staff


def test_an_endorsement_e_mail_reaches_each_member_of_staff_in_their_language(
    badge,
    uni,
    staff,
    other_issuer,
    other_staff,
    make_user,
    rendered,
    django_capture_on_commit_callbacks,
):
    staff.language = "de"
    staff.save(update_fields=["language"])
    colleague = make_user("colleague@uni.example", language="it")
    uni.staff.add(colleague)
    other_staff.language = "es"
    other_staff.save(update_fields=["language"])
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        endorsements.endorse(badge, other_issuer, "Solid work.", other_staff)
    # the institution's own address, nobody's, reads the endorser's language
    by_language = dict(
        zip(
            [lang for name, lang in rendered if name.endswith("endorsement_subject.txt")],
            [(m.to, m.bcc) for m in mail.outbox],
            strict=True,
        )
    )
    assert by_language == {
        "de": ([staff.email], []),
        "it": ([colleague.email], []),
        "es": ([uni.email], []),
    }
    assert languages(rendered, "credentials/email/endorsement") == {"de", "it", "es"}


# The approval e-mails


def test_a_request_reaches_the_staff_in_their_language_and_its_answer_the_requester_in_theirs(
    uni, learner, staff, rendered, django_capture_on_commit_callbacks
):
    staff.language = "fi"
    staff.save(update_fields=["language"])
    learner.language = "pt"
    learner.save(update_fields=["language"])
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        request = approvals.request_staff(uni, by=learner)
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert languages(rendered, "email_requested") == {"fi"}
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        decided = approvals.approve(request, by=staff)
    assert decided.state == ApprovalRequest.State.APPROVED
    assert mail.outbox[-1].to == [learner.email]
    assert languages(rendered, "email_decided") == {"pt"}


def test_a_requester_without_a_language_we_offer_reads_the_site_default(
    uni, learner, staff, rendered, django_capture_on_commit_callbacks, settings
):
    type(learner).objects.filter(pk=learner.pk).update(language="tlh")
    request = approvals.request_staff(uni, by=type(learner).objects.get(pk=learner.pk))
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        approvals.decline(request, by=staff)
    assert languages(rendered, "email_decided") == {settings.LANGUAGE_CODE}


def test_a_batch_of_award_e_mails_links_each_in_its_recipient_s_language():
    """One AwardUrls serves a whole batch; its cached links must not carry the first
    recipient's language prefix into the next recipient's e-mail."""
    from django.utils import translation

    from credentials.services.backpack import AwardUrls

    urls = AwardUrls()
    public_id = "7d1f3c2e-0000-4000-8000-000000000001"
    with translation.override("fr"):
        french = urls("credentials:award_pdf", public_id)
    with translation.override("de"):
        german = urls("credentials:award_pdf", public_id)
    assert french.startswith("/fr/") and german.startswith("/de/")
