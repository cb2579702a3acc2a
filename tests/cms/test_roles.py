import pytest

from cms import roles


@pytest.mark.django_db
def test_a_person_can_hold_several_roles(make_user):
    user = make_user("both@example.org", roles.MENTORS, roles.ISSUER_STAFF)
    assert roles.roles_of(user) == [roles.MENTORS, roles.ISSUER_STAFF]


@pytest.mark.django_db
def test_revoking_one_role_keeps_the_others(make_user):
    user = make_user("both@example.org", roles.MENTORS, roles.LEARNERS)
    roles.revoke(user, roles.MENTORS)
    assert roles.roles_of(user) == [roles.LEARNERS]


@pytest.mark.django_db
def test_an_unknown_role_is_refused(make_user):
    user = make_user("x@example.org")
    with pytest.raises(ValueError, match="Unknown role"):
        roles.grant(user, "Wizards")


@pytest.mark.django_db
def test_the_role_groups_exist_after_migrating():
    from django.contrib.auth.models import Group

    assert set(roles.ALL_ROLES) <= set(Group.objects.values_list("name", flat=True))


def test_anonymous_visitors_hold_no_role():
    from django.contrib.auth.models import AnonymousUser

    assert roles.roles_of(AnonymousUser()) == []
