"""``cms.settings.production`` unchanged, plus ``/__bench__/bare/`` and a temporary STATIC_ROOT.

Only bench/stack.py uses this module: the bare view is served by the very same gunicorn, middleware
and database settings as the real pages, so its throughput is the ceiling they are measured
against. The real site (cms.urls) never has that URL.
"""

import os

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.stacksite.urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
