"""Awards made to an e-mail address join an account only through a verified address.

The attacker: an impostor signs up with the victim's address (which they cannot read) to
collect the victim's awards. They get nothing; the victim keeps the claim link, and the
awards join whichever account verifies the address.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from credentials import services
from credentials.models import Award
from credentials.services import bulk, recipients
from credentials.services.emails import send_award_email

pytestmark = pytest.mark.django_db

VICTIM = "nora@example.org"
IMPOSTOR_PASSWORD = "impostor-long-passphrase"


@pytest.fixture(autouse=True)
def recipients_fresh_rate_limits():
    """allauth's sign-up and e-mail limits live in the cache: start each test without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def impostor(client):
    """Someone who signed up with the victim's address through the sign-up page."""
    client.post(
        reverse("account_signup"),
        {
            "email": VICTIM,
            "display_name": "Impostor",
            "time_zone": "UTC",
            "language": "en",
            "password1": IMPOSTOR_PASSWORD,
            "password2": IMPOSTOR_PASSWORD,
        },
    )
    client.logout()
    return get_user_model().objects.get(email=VICTIM)


def unverified(email: str, name: str = "Someone"):
    user = get_user_model().objects.create_user(email=email, password="x" * 12, display_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


def verify(user, email: str) -> None:
    """What allauth does when the link is opened: mark verified, send ``email_confirmed``."""
    address = EmailAddress.objects.get(user=user, email=email)
    address.verified = True
    address.save()
    request = RequestFactory().get("/")
    email_confirmed.send(sender=EmailAddress, request=request, email_address=address)


def test_an_impostor_who_signs_up_with_the_victims_address_gets_nothing(
    client, badge, staff, impostor
):
    given = services.award(badge, VICTIM)
    assert recipients.account_with_verified_email(VICTIM) is None
    given.refresh_from_db()
    assert given.recipient is None and given.recipient_name == ""
    response = client.post(
        reverse("account_login"), {"login": VICTIM, "password": IMPOSTOR_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("account_email_verification_sent")
    client.force_login(impostor)
    assert given.badge_class.name not in client.get("/credentials/mine/").content.decode()


def test_the_victim_still_gets_the_claim_link_and_can_sign_up(client, badge, impostor):
    given = services.award(badge, VICTIM)
    mail.outbox.clear()
    send_award_email(given)
    assert "/credentials/claim/" in mail.outbox[-1].body
    mail.outbox.clear()
    cache.clear()  # minutes later: allauth mails one address at most every three minutes
    response = client.post(
        reverse("account_signup"),
        {
            "email": VICTIM,
            "display_name": "Nora",
            "time_zone": "UTC",
            "language": "en",
            "password1": "noras-own-passphrase",
            "password2": "noras-own-passphrase",
        },
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    [message] = mail.outbox  # to the mailbox only the victim reads: how to recover the account
    assert message.to == [VICTIM] and "/accounts/password/reset/" in message.body


def test_an_award_made_earlier_joins_the_account_only_once_verified(client, badge, impostor):
    given = services.award(badge, VICTIM)
    assert not Award.objects.filter(recipient=impostor).exists()
    body = next(m.body for m in mail.outbox if "/accounts/confirm-email/" in m.body)
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", body).group(1)
    client.post(link)  # the owner of the mailbox opened it
    given.refresh_from_db()
    assert given.recipient == impostor
    assert given.recipient_name == impostor.get_full_name()


def test_the_same_verification_twice_attaches_once(badge, make_user):
    person = unverified(VICTIM, "Nora")
    first = services.award(badge, VICTIM)
    verify(person, VICTIM)
    verify(person, VICTIM)
    assert list(Award.objects.filter(recipient=person)) == [first]
    assert recipients.attach_awards_of_verified_email(person, VICTIM) == []


def test_an_unverified_address_attaches_nothing(badge):
    person = unverified(VICTIM)
    services.award(badge, VICTIM)
    assert recipients.attach_awards_of_verified_email(person, VICTIM) == []
    assert not Award.objects.filter(recipient=person).exists()


def test_an_award_held_by_someone_else_is_never_moved(badge, learner):
    held = services.award(badge, learner)
    other = unverified(learner.email.replace("@", "+x@"))
    Award.objects.filter(pk=held.pk).update(recipient_email=other.email)
    verify(other, other.email)
    held.refresh_from_db()
    assert held.recipient == learner


def test_a_verified_account_is_found_in_any_case(learner):
    assert recipients.account_with_verified_email(learner.email.upper()) == learner
    assert recipients.accounts_with_verified_emails([learner.email.upper(), "x@example.org"]) == {
        learner.email: learner
    }


def test_an_inactive_account_gets_no_award(learner):
    learner.is_active = False
    learner.save()
    assert recipients.account_with_verified_email(learner.email) is None


def test_a_bulk_award_links_only_verified_accounts(
    badge, staff, learner, django_capture_on_commit_callbacks
):
    impostor = unverified(VICTIM, "Impostor")
    rows, problems = bulk.check_csv(badge, f"email,name\n{learner.email},\n{VICTIM},\n".encode())
    assert not problems
    job = bulk.create_job(badge, rows, staff, "people.csv")
    with django_capture_on_commit_callbacks(execute=True):
        bulk.start(job, staff)
    assert Award.objects.get(recipient_email=learner.email).recipient == learner
    victims = Award.objects.get(recipient_email=VICTIM)
    assert victims.recipient is None and victims.recipient_name == ""
    verify(impostor, VICTIM)  # only if they open the link sent to that mailbox
    victims.refresh_from_db()
    assert victims.recipient == impostor


def test_changing_to_an_address_brings_its_awards_only_once_verified(client, badge, learner):
    waiting = services.award(badge, "lena.new@example.org")
    client.force_login(learner)
    client.post(reverse("account_email"), {"action_add": "", "email": "lena.new@example.org"})
    waiting.refresh_from_db()
    assert waiting.recipient is None
    link = re.search(
        r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    ).group(1)
    client.post(link)
    waiting.refresh_from_db()
    assert waiting.recipient == learner
