"""Drop the literal "[]" tag that the new-badge form used to save as a keyword."""

from django.db import migrations

EMPTY_TAGS = {"[]", "[ ]", "''", '""'}


def drop_empty_tags(apps, schema_editor) -> None:
    BadgeClass = apps.get_model("credentials", "BadgeClass")
    for badge in BadgeClass.objects.only("pk", "tags").iterator():
        tags = badge.tags if isinstance(badge.tags, list) else []
        kept = [tag for tag in tags if str(tag).strip() not in EMPTY_TAGS]
        if kept != badge.tags:
            BadgeClass.objects.filter(pk=badge.pk).update(tags=kept)


class Migration(migrations.Migration):
    dependencies = [("credentials", "0014_approval_requests")]

    operations = [migrations.RunPython(drop_empty_tags, migrations.RunPython.noop)]
