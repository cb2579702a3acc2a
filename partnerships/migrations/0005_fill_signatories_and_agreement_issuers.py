"""Existing agreements name their member's institution; existing versions take the members of
their partnership as they are now as signatories (the best record there is)."""

from django.db import migrations


def fill(apps, schema_editor):
    FrameworkAgreement = apps.get_model("partnerships", "FrameworkAgreement")
    FrameworkVersion = apps.get_model("partnerships", "FrameworkVersion")
    Member = apps.get_model("partnerships", "Member")
    Signatory = apps.get_model("partnerships", "Signatory")
    for agreement in FrameworkAgreement.objects.filter(issuer__isnull=True).select_related(
        "member"
    ):
        agreement.issuer_id = agreement.member.issuer_id
        agreement.save(update_fields=["issuer"])
    FrameworkAgreement.objects.filter(issuer__isnull=True).delete()
    for version in FrameworkVersion.objects.all():
        if Signatory.objects.filter(version=version).exists():
            continue
        Signatory.objects.bulk_create(
            Signatory(version=version, issuer_id=m.issuer_id, role=m.role)
            for m in Member.objects.filter(partnership_id=version.partnership_id)
        )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0004_signatories_and_private_by_default")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
