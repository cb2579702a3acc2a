"""Who may see what of a partnership: its members' staff, superusers, and nobody else."""

from django.contrib.auth.models import AnonymousUser

from partnerships.services import access


def test_members_staff_act_for_their_own_member_only(
    nh_partnership, alice, bob, member_university, member_company
):
    assert [m.issuer for m in access.members_acted_for(alice, nh_partnership)] == [
        member_university
    ]
    assert [m.issuer for m in access.members_acted_for(bob, nh_partnership)] == [member_company]


def test_who_opens_the_workspace(nh_partnership, alice, bob, charlie, learner, superuser):
    seen = {
        name: access.is_member_staff(person, nh_partnership)
        for name, person in [
            ("alice", alice),
            ("bob", bob),
            ("charlie", charlie),
            ("learner", learner),
            ("superuser", superuser),
            ("anonymous", AnonymousUser()),
        ]
    }
    assert seen == {
        "alice": True,
        "bob": True,
        "charlie": False,
        "learner": False,
        "superuser": True,
        "anonymous": False,
    }
    assert list(access.partnerships_of(alice)) == [nh_partnership]
    assert not access.partnerships_of(charlie).exists()


def test_an_inactive_member_of_staff_is_nobody(nh_partnership, alice):
    alice.is_active = False
    alice.save()
    assert not access.is_member_staff(alice, nh_partnership)


def test_a_private_page_is_for_members_staff_only(nh_partnership, alice, charlie):
    anonymous = AnonymousUser()
    assert access.can_see_page(anonymous, nh_partnership)
    nh_partnership.is_public = False
    nh_partnership.save()
    assert not access.can_see_page(anonymous, nh_partnership)
    assert not access.can_see_page(charlie, nh_partnership)
    assert access.can_see_page(alice, nh_partnership)
    assert not access.public_partnerships().exists()
