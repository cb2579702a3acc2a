from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms import demo
from credentials.services import relocation
from credentials.services.demo import demo_data_allowed


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data (idempotent): accounts, institutions, pages. "
        "Credentials signed for another SITE_URL (an earlier run on another port) are "
        "signed again for this one. Only under DEBUG (`make run`) or DEMO_DATA_ALLOWED: the "
        "demo accounts share a published password."
    )

    def handle(self, *args, **options):
        if not demo_data_allowed():
            raise CommandError(
                "seed_demo writes demo accounts with a published password and re-signs the demo "
                "credentials: it runs only with DEBUG on (make run) or DEMO_DATA_ALLOWED=1, "
                "never on a production site."
            )
        result = demo.seed()
        resigned = relocation.resign_moved()
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data is ready."))
        if resigned:
            out.write(
                f"Signed {resigned} credential document{'s' if resigned != 1 else ''} again "
                f"for {settings.SITE_URL} (they named another address)."
            )
        out.write(f"\nSite: {settings.SITE_URL}/   Admin: {settings.SITE_URL}/admin/\n")
        out.write(f"Demo accounts (password for all: {demo.DEMO_PASSWORD})")
        width = max(len(a.email) for a in result["accounts"])
        for account in result["accounts"]:
            out.write(f"  {account.email.ljust(width)}  {account.what}")
        out.write("\nInstitutions: " + ", ".join(i.name for i in result["issuers"]))
        seeded = result.get("partnership") or {}
        if seeded.get("partnership") is not None:
            page = f"{settings.SITE_URL}{seeded['partnership'].get_absolute_url()}"
            out.write(f"Partnership: {page}")
            out.write(f"  workspace: {page}workspace/  (either member's staff; v2 awaits Helix)")
            if seeded.get("case_study") is not None:
                out.write(f"  case study: {settings.SITE_URL}{seeded['case_study'].get_url()}")
        out.write("\nDemo credentials (public URLs; sam@example.com is a second learner):")
        for item in result["credentials"]["awards"]:
            out.write(f"  {item.url}  {item.label}")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            out.write(
                f"\nE-mails (award notices, invitations) are written to {settings.EMAIL_FILE_PATH}/"
            )
