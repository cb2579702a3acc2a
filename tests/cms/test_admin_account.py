"""The Wagtail admin's own account page cannot change an address or reset a password: those go
through allauth, which verifies the new address first (awards follow the account's address)."""

import pytest
from django.urls import reverse

from cms import roles


@pytest.mark.django_db
def test_an_editor_cannot_change_their_address_in_the_wagtail_admin(client, make_user):
    editor = make_user("editor@example.org", roles.EDITORS, is_staff=True)
    client.force_login(editor)
    page = client.get("/admin/account/")
    assert page.status_code == 200
    assert b'name="name_email-email"' not in page.content
    client.post(
        "/admin/account/",
        {
            "name_email-first_name": "Ed",
            "name_email-last_name": "Itor",
            "name_email-email": "victim@example.net",
        },
    )
    editor.refresh_from_db()
    assert editor.email == "editor@example.org"


@pytest.mark.django_db
def test_the_wagtail_admin_sends_password_resets_to_allauth(client):
    response = client.get("/admin/password_reset/")
    assert response.status_code == 404
    assert reverse("account_reset_password") == "/accounts/password/reset/"
