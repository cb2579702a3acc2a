"""Bake (or re-bake) awards' images, e.g. after a badge image changed or storage was lost."""

from django.core.management.base import BaseCommand

from credentials.issuing import baking
from credentials.models import Award


class Command(BaseCommand):
    help = "Bake missing images of every award (--force: throw away and bake again)."

    def add_arguments(self, parser):
        parser.add_argument("--badge", help="only awards of the badge class with this slug")
        parser.add_argument("--force", action="store_true", help="re-bake existing images")

    def handle(self, *args, **options):
        awards = Award.objects.select_related("badge_class__issuer").order_by("pk")
        if options["badge"]:
            awards = awards.filter(badge_class__slug=options["badge"])
        count = 0
        for award in awards.iterator():
            (baking.rebake if options["force"] else baking.bake_award)(award)
            count += 1
        self.stdout.write(f"Baked {count} awards.")
