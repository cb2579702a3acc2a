from django import template

register = template.Library()


@register.filter
def initials(name: str) -> str:
    """Two initials, skipping titles such as "Dr." (first and last name)."""
    parts = [p for p in str(name).replace("@", " ").split() if p and not p.endswith(".")]
    if not parts:
        return "?"
    chosen = [parts[0], parts[-1]] if len(parts) > 1 else parts[:1]
    return "".join(p[0].upper() for p in chosen)


@register.simple_tag
def backpack_url() -> str:
    """The credentials app's backpack ("My credentials"), if it is mounted."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("credentials_manage:backpack")
    except NoReverseMatch:
        return ""


@register.filter
def stars(rating) -> str:
    if rating in (None, ""):
        return ""
    value = round(float(rating))
    return "★" * value + "☆" * (5 - value)


@register.filter
def percent_of_day(value) -> float:
    """A time of day (or "24:00") as a percentage of the day, for the week timeline."""
    if value in (None, ""):
        return 0.0
    text = value if isinstance(value, str) else value.strftime("%H:%M")
    hours, _, minutes = text.partition(":")
    try:
        total = int(hours) * 60 + int(minutes or 0)
    except ValueError:
        return 0.0
    return round(100 * total / (24 * 60), 3)
