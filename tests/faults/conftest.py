"""Fixtures for the fault tests: an institution with a published badge and its staff member."""

import pytest
from django.contrib.auth import get_user_model

from credentials.models import BadgeClass, Issuer
from tests.conftest import PASSWORD


@pytest.fixture
def faults_badge(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    issuer = Issuer.objects.create(
        slug="uni", name="Uni", kind="university", url="https://uni.example",
        email="info@uni.example", country="NL",
    )  # fmt: skip
    return BadgeClass.objects.create(
        issuer=issuer, slug="spotter", name="Spotter", description="Spots",
        criteria_narrative="Do it", status=BadgeClass.Status.PUBLISHED,
    )  # fmt: skip


@pytest.fixture
def faults_staff(faults_badge):
    """The member: staff of the badge's institution."""
    user = get_user_model().objects.create_user(email="staff@uni.example", password=PASSWORD)
    faults_badge.issuer.staff.add(user)
    return user


@pytest.fixture
def faults_colleague_elsewhere(db):
    """Staff of another institution: may not act for the badge's."""
    other = Issuer.objects.create(
        slug="other", name="Other", kind="university", url="https://other.example",
        email="info@other.example", country="NL",
    )  # fmt: skip
    user = get_user_model().objects.create_user(email="staff@other.example", password=PASSWORD)
    other.staff.add(user)
    return user


@pytest.fixture(scope="session")
def faults_migrated_template(tmp_path_factory):
    """Where the fault tests' shared SQLite database is migrated once (see worker_control)."""
    return tmp_path_factory.mktemp("faults-db") / "template.sqlite3"
