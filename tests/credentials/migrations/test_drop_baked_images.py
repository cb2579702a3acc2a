"""Migration 0018: the stored baked images go, their files with them, nothing else."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from credentials import services
from credentials.models import Award

BEFORE = [("credentials", "0017_verification_events")]
AFTER = [("credentials", "0018_drop_baked_images")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets[0]).apps


def migrate_to_latest() -> None:
    """Every app at its latest migration again: the tests after this one (it commits) need
    the tables that later migrations made, which migrating back to 0017 removed."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)  # the files go once the migration commits
def test_dropping_baked_images_deletes_their_files_and_no_other(badge, learner, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    award = services.award(badge, learner)
    try:
        old = migrate(BEFORE)
        baked_image = old.get_model("credentials", "BakedImage")
        names = []
        for fmt in ("png2", "svg2", "png3", "svg3"):
            row = baked_image(award_id=award.pk, format=fmt, sha256="0" * 64)
            row.file.save(f"{uuid.uuid4()}-{fmt}.png", ContentFile(b"baked"), save=True)
            names.append(row.file.name)
        default_storage.delete(names[0])  # already gone: not an error
        kept = default_storage.save("baked/not-ours.png", ContentFile(b"someone else's"))
        badge_image = default_storage.save("badges/b.png", ContentFile(b"badge"))
        migrate(AFTER)
        assert not any(default_storage.exists(name) for name in names)
        assert default_storage.exists(kept) and default_storage.exists(badge_image)
        assert "credentials_bakedimage" not in connection.introspection.table_names()
        assert Award.objects.filter(pk=award.pk).exists()
    finally:
        migrate_to_latest()
    assert "credentials_badgeedition" in connection.introspection.table_names()
