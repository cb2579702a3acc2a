import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from cms import roles
from credentials import services
from tests.conftest import PASSWORD
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db


# uni, staff (of uni), other_issuer and other_staff come from tests/credentials/conftest.py.


def edit_url(issuer):
    return reverse("credentials:issuer_edit", kwargs={"slug": issuer.slug})


def profile(issuer, **changes):
    data = {
        "name": issuer.name,
        "kind": issuer.kind,
        "url": issuer.url,
        "email": issuer.email,
        "country": str(issuer.country),
        "description": "",
    }
    return {**data, **changes}


def test_staff_edit_their_own_institution(client, uni, staff):
    login_with_second_factor(client, staff)
    response = client.post(edit_url(uni), profile(uni, description="We teach founders."))
    assert response.status_code == 302
    uni.refresh_from_db()
    assert uni.description == "We teach founders."


def test_staff_of_another_institution_may_not_edit(client, uni, other_staff):
    login_with_second_factor(client, other_staff)
    response = client.post(edit_url(uni), profile(uni, name="Hijacked"))
    assert response.status_code == 403
    uni.refresh_from_db()
    assert uni.name == "Uni"


def test_a_learner_may_not_edit_an_institution(client, uni, learner):
    client.force_login(learner)
    assert client.get(edit_url(uni)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, uni):
    response = client.get(edit_url(uni))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_superuser_may_edit_any_institution(client, uni, superuser):
    login_with_second_factor(client, superuser)
    assert client.get(edit_url(uni)).status_code == 200


def test_issuer_staff_role_alone_grants_no_institution(make_user, uni):
    user = make_user("floating@example.org", roles.ISSUER_STAFF)
    assert not services.can_act_for(user, uni)


def test_editing_with_a_bad_url_shows_the_error_and_saves_nothing(client, uni, staff):
    login_with_second_factor(client, staff)
    response = client.post(edit_url(uni), profile(uni, url="not a url", name="Changed"))
    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    uni.refresh_from_db()
    assert uni.name == "Uni"


def test_the_service_refuses_someone_who_does_not_act_for_the_issuer(uni, other_staff):
    with pytest.raises(PermissionError):
        services.update_issuer_profile(uni, {"name": "X"}, by=other_staff)


def test_the_service_refuses_fields_outside_the_profile(uni, staff):
    with pytest.raises(ValueError, match="Cannot change"):
        services.update_issuer_profile(uni, {"slug": "other"}, by=staff)


def test_institution_list_and_page_are_public(client, uni):
    assert "Uni" in client.get(reverse("credentials:issuers")).content.decode()
    assert client.get(uni.get_absolute_url()).status_code == 200


def test_login_page_is_where_anonymous_staff_land(client, uni, staff):
    EmailAddress.objects.update_or_create(
        user=staff, email=staff.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(
        reverse("login") + f"?next={edit_url(uni)}",
        {"login": staff.email, "password": PASSWORD, "next": edit_url(uni)},
    )
    assert response["Location"] == edit_url(uni)
