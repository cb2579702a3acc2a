import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0019_badge_editions"),
        ("partnerships", "0005_fill_signatories_and_agreement_issuers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="frameworkagreement",
            name="issuer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="credentials.issuer",
                verbose_name="institution",
            ),
        ),
    ]
