"""Stop storing baked images: they are baked from the award's signed documents on download.

Every award kept four baked files (PNG and SVG, Open Badges 2.0 and 3.0) and four
``BakedImage`` rows, all derived from what the award itself stores (its signed documents) and
its badge's image: 400,000 files for 100,000 awards. Baking one costs a fraction of a
millisecond, so ``credentials.issuing.baking`` now bakes the one asked for when it is
downloaded (the learner's data export bakes all four), and the table goes.

The files are deleted only after the table is dropped and the migration committed: a
migration that fails leaves rows and files as they were. Only the files the rows named are
deleted (nothing else under ``baked/``), one at a time, a missing one skipped, so running it
again (after a crash mid-way) is harmless. Reversing recreates an empty table; the earlier
code bakes what it finds missing.
"""

import logging

from django.core.files.storage import default_storage
from django.db import migrations, transaction

log = logging.getLogger(__name__)


def delete_baked_files(apps, schema_editor):
    BakedImage = apps.get_model("credentials", "BakedImage")
    names = [
        name
        for name in BakedImage.objects.values_list("file", flat=True).iterator(chunk_size=2000)
        if name
    ]
    if names:
        transaction.on_commit(lambda: _delete(names), using=schema_editor.connection.alias)


def _delete(names):
    failed = 0
    for name in names:
        try:
            default_storage.delete(name)  # a file already gone is not an error
        except OSError:
            failed += 1
    if failed:
        log.warning("%s of %s baked image files could not be deleted", failed, len(names))


class Migration(migrations.Migration):

    dependencies = [
        ('credentials', '0017_verification_events'),
    ]

    operations = [
        migrations.RunPython(delete_baked_files, migrations.RunPython.noop),
        migrations.DeleteModel(name='BakedImage'),
    ]
