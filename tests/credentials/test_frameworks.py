import pytest

from credentials.frameworks import load_frameworks
from credentials.models import Competency, Framework
from tests.credentials.second_factor_support import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "count"), [("entrecomp", 15), ("lifecomp", 9), ("digcomp", 21)])
def test_migration_loads_each_framework_with_all_its_competences(code, count):
    assert Framework.objects.get(code=code).competences.count() == count


def test_every_competence_has_a_unique_stable_uri():
    uris = list(Competency.objects.values_list("uri", flat=True))
    assert len(uris) == 45 == len(set(uris))
    assert all(uri.startswith("https://") for uri in uris)


def test_loading_again_changes_nothing():
    before = Competency.objects.count()
    load_frameworks(Framework, Competency)
    assert Competency.objects.count() == before


def test_entrecomp_areas_are_the_official_three():
    areas = set(
        Competency.objects.filter(framework__code="entrecomp").values_list("area_name", flat=True)
    )
    assert areas == {"Ideas and opportunities", "Resources", "Into action"}


def test_editors_can_open_the_frameworks_admin(client, superuser):
    login_with_second_factor(client, superuser)
    assert client.get("/admin/frameworks/").status_code == 200
    assert client.get("/admin/competencies/").status_code == 200


def test_learners_cannot_open_the_frameworks_admin(client, learner):
    client.force_login(learner)
    assert client.get("/admin/frameworks/").status_code == 302
