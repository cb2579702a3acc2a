import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0005 so that PostgreSQL alters the tables after the data update commits."""

    dependencies = [
        ('credentials', '0005_keys_publication_baking'),
    ]

    operations = [
        migrations.AlterField(
            model_name='issuer',
            name='public_id',
            field=models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable id in public URLs.', unique=True),
        ),
        migrations.AlterField(
            model_name='badgeclass',
            name='public_id',
            field=models.UUIDField(default=uuid.uuid4, editable=False, help_text='Stable id in public URLs.', unique=True),
        ),
        ]
