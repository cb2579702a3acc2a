from credentials.models import BadgeClass, Issuer


def make_issuer(slug: str = "uni", **extra) -> Issuer:
    fields = {
        "name": slug.replace("-", " ").title(),
        "kind": Issuer.Kind.UNIVERSITY,
        "url": f"https://{slug}.example",
        "email": f"info@{slug}.example",
        "country": "BE",
    }
    return Issuer.objects.create(slug=slug, **{**fields, **extra})


def make_badge(issuer: Issuer, slug: str = "opportunity-spotter", **extra) -> BadgeClass:
    fields = {
        "name": slug.replace("-", " ").title(),
        "description": "Spots opportunities to create value with industry partners.",
        "criteria_narrative": "Complete the course and pass its quiz.",
        "status": BadgeClass.Status.PUBLISHED,
    }
    return BadgeClass.objects.create(issuer=issuer, slug=slug, **{**fields, **extra})
