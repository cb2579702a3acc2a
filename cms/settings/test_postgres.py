"""The test settings on a throwaway PostgreSQL cluster that this test run starts itself.

`make test` runs the database tests a second time with ``pytest --ds=cms.settings.test_postgres``.
The cluster starts when these settings are imported — before Django loads its models, so that
everything that depends on the database vendor (Wagtail's PostgreSQL search backend, exclusion
constraints) is the real PostgreSQL one. Processes started by the tests (a Celery worker, say)
inherit ``COCREATE_TEST_DATABASE_URL`` and reuse the same cluster. As root, the cluster runs as
the ``postgres`` system user (PostgreSQL refuses root).
"""

import atexit
import os

import dj_database_url

from .test import *  # noqa: F403

_URL_VARIABLE = "COCREATE_TEST_DATABASE_URL"

if not os.environ.get(_URL_VARIABLE):
    from tests.support.postgres import PostgresCluster

    _cluster = PostgresCluster().start()
    atexit.register(_cluster.stop)
    os.environ[_URL_VARIABLE] = _cluster.url()

DATABASES = {"default": dj_database_url.parse(os.environ[_URL_VARIABLE])}
