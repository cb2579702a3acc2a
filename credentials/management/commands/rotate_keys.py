"""Rotate issuers' signing keys: retire the active ones, make new ones (old stay published)."""

from django.core.management.base import BaseCommand, CommandError

from credentials.issuing import keystore
from credentials.models import Issuer


class Command(BaseCommand):
    help = "Rotate the Ed25519 and RSA signing keys of the named issuers (or --all)."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="issuer slugs")
        parser.add_argument("--all", action="store_true", help="every issuer")
        parser.add_argument(
            "--algorithm", choices=["Ed25519", "RS256"], action="append", help="only these"
        )
        parser.add_argument(
            "--reencrypt",
            action="store_true",
            help="re-encrypt every private key with the current CREDENTIALS_KEY_SECRET",
        )

    def handle(self, *args, **options):
        if options["reencrypt"]:
            count = keystore.reencrypt_all()
            self.stdout.write(f"Re-encrypted {count} private keys with the current secret.")
            if not options["slugs"] and not options["all"]:
                return
        if options["all"]:
            issuers = list(Issuer.objects.all())
        elif options["slugs"]:
            issuers = list(Issuer.objects.filter(slug__in=options["slugs"]))
            unknown = set(options["slugs"]) - {i.slug for i in issuers}
            if unknown:
                raise CommandError(f"No issuer with slug {', '.join(sorted(unknown))}.")
        else:
            raise CommandError("Name issuer slugs, or pass --all.")
        algorithms = options["algorithm"] or list(keystore.ALGORITHMS)
        for issuer in issuers:
            made = keystore.rotate_keys(issuer, algorithms)
            self.stdout.write(f"{issuer.slug}: new keys {', '.join(k.key_id for k in made)}")
