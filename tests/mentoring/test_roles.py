"""Mentoring checks the mentor role without importing the site, from the same cached groups."""

import pytest

from cms import roles as site_roles
from mentoring import roles

pytestmark = pytest.mark.django_db


def test_the_site_takes_the_mentor_group_name_from_mentoring():
    assert site_roles.MENTORS is roles.MENTORS


def test_the_mentor_check_and_the_site_read_the_groups_once(make_user, django_assert_num_queries):
    user = make_user("paul@helix.example", site_roles.MENTORS)
    with django_assert_num_queries(1):
        assert site_roles.has_role(user, site_roles.MENTORS)
        assert roles.is_in_mentors_group(user)
        assert site_roles.roles_of(user) == [site_roles.MENTORS]


def test_revoking_the_role_is_seen_at_once_by_the_mentor_check(make_user):
    user = make_user("paul@helix.example", site_roles.MENTORS)
    assert roles.is_in_mentors_group(user)
    site_roles.revoke(user, site_roles.MENTORS)
    assert not roles.is_in_mentors_group(user)


def test_anonymous_visitors_are_not_in_the_mentors_group():
    from django.contrib.auth.models import AnonymousUser

    assert not roles.is_in_mentors_group(AnonymousUser())
