"""Count checks by verifier and credential; drop the request counter of 0007.

``VerificationCount`` added one for every request to the verifier -- tampered uploads, other
issuers' credentials, the same employer reloading the page -- per badge class and day. It knew
neither which credential was checked nor by whom, so it cannot be turned into
``VerificationEvent`` rows (one per credential, verifier and day, and only for a genuine verdict
about our own credential). Keeping its totals beside the new figure would show two numbers for
one fact, the old one inflated: it is dropped, and the figure starts from this migration.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credentials', '0016_bulk_skipped_rows_revocation_email'),
    ]

    operations = [
        migrations.CreateModel(
            name='VerificationEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('verifier', models.CharField(help_text='Keyed hash of who checked, salted with the day: no raw data.', max_length=64)),
                ('verdict', models.CharField(help_text="The verdict of that day's first check.", max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('award', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='verifications', to='credentials.award')),
            ],
            options={
                'ordering': ['-day', '-created_at'],
            },
        ),
        migrations.DeleteModel(
            name='VerificationCount',
        ),
        migrations.AddIndex(
            model_name='verificationevent',
            index=models.Index(fields=['day'], name='verification_event_day'),
        ),
        migrations.AddConstraint(
            model_name='verificationevent',
            constraint=models.UniqueConstraint(fields=('award', 'day', 'verifier'), name='one_verification_per_verifier_day'),
        ),
    ]
