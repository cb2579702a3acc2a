"""Shared set-up for the Open Badges format tests (test_ob2*, test_ob3*, test_public_urls…)."""

import pytest

from cms import roles
from credentials import services
from credentials.models import BadgeClass, Competency, Framework
from tests.credentials.factories import make_badge, make_issuer

EU_FIELDS = {
    "is_micro_credential": True,
    "learning_outcomes": "Spot a valorisation opportunity\nPitch it to an industry partner",
    "workload_hours": 50,
    "ects_credits": 2,
    "eqf_level": 6,
    "assessment_type": "Project presentation assessed by a jury",
    "participation_form": BadgeClass.Participation.BLENDED,
    "quality_assurance": "Accredited by the national agency",
    "prerequisites": "None",
    "supervision_and_identity": "Supervised on site, identity checked",
    "grade_scheme": "Pass / fail",
    "integration": "Stacks into the Co-creation certificate",
    "further_information": "https://uni.example/co-creation",
}


@pytest.fixture
def verify_isolation(settings, tmp_path):
    """Verification tests: own media folder, a rate limit they never reach, a clean cache."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VERIFY_RATE_LIMIT = (1000, 60)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media_root(settings, tmp_path):
    """Baked images and uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def uni(db, media_root):
    return make_issuer("uni", country="NL", description="A university of technology.")


@pytest.fixture
def other_issuer(db):
    return make_issuer("helix", kind="company", country="DE")


@pytest.fixture
def competences(db):
    if not Competency.objects.exists():
        from credentials.frameworks import load_frameworks

        load_frameworks(Framework, Competency)
    return list(Competency.objects.order_by("uri")[:2])


@pytest.fixture
def badge(uni, competences):
    created = make_badge(uni, tags=["co-creation", "entrepreneurship"], **EU_FIELDS)
    created.alignments.set(competences)
    return created


# The words of ``badge`` (EU_FIELDS) in French: a complete edition.
FRENCH_WORDS = {
    "name": "Détecteur d'opportunités",
    "description": "Repère des occasions de créer de la valeur avec des partenaires industriels.",
    "criteria_narrative": "Suivre le cours et réussir son quiz.",
    "learning_outcomes": "Repérer une occasion de valorisation\nLa présenter à un partenaire",
    "assessment_type": "Présentation du projet évaluée par un jury",
    "quality_assurance": "Accrédité par l'agence nationale",
    "prerequisites": "Aucun",
    "supervision_and_identity": "Surveillé sur place, identité vérifiée",
    "grade_scheme": "Réussi / échoué",
    "integration": "S'intègre au certificat de co-création",
    "further_information": "https://uni.example/fr/co-creation",
}


@pytest.fixture
def french_edition(badge, staff):
    """``badge``'s French edition, written by its issuer's staff."""
    from credentials.services import editions

    return editions.save_edition(badge, "fr", FRENCH_WORDS, staff)


@pytest.fixture
def staff(make_user, uni):
    user = make_user("staff@uni.example", roles.ISSUER_STAFF)
    uni.staff.add(user)
    return user


@pytest.fixture
def other_staff(make_user, other_issuer):
    user = make_user("staff@helix.example", roles.ISSUER_STAFF)
    other_issuer.staff.add(user)
    return user


@pytest.fixture
def other_learner(make_user):
    return make_user("otto@example.org", roles.LEARNERS)


@pytest.fixture
def given(badge, learner):
    """A signed award with evidence."""
    evidence = [
        services.Evidence(name="Pitch", narrative="Pitched to Helix", url="https://x.example/p")
    ]
    return services.award(badge, learner, evidence)


@pytest.fixture
def signed(given):
    """``given``, issued and signed (its OB 3.0 credential has every EU element)."""
    from credentials.issuing.signing import sign_award

    return sign_award(given)


@pytest.fixture(scope="module")
def server():
    """A local HTTP server of documents (another issuer's site), one per test module."""
    from tests.credentials.verify_helpers import DocServer

    server = DocServer()
    yield server
    server.stop()
