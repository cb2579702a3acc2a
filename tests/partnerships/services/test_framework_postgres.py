"""On the real PostgreSQL: people saving the framework at the same moment get one number each."""

import threading

import pytest
from django.db import connections

from partnerships.models import FrameworkVersion
from partnerships.services import framework
from tests.partnerships.conftest import framework_words

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_proposals_get_different_numbers(nh_partnership, alice, bob):
    people = [alice, bob] * 4
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    lock = threading.Lock()

    def save(person, n):
        try:
            barrier.wait(timeout=30)
            version = framework.propose_version(
                nh_partnership, person, **framework_words(goals=f"Goals of proposal {n}")
            )
            result = f"v{version.number}"
        except Exception as error:  # noqa: BLE001 — reported in the assertion below
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=save, args=(p, n)) for n, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted(f"v{n}" for n in range(1, len(people) + 1))
    numbers = list(FrameworkVersion.objects.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(people) + 1))
