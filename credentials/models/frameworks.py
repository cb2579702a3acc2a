"""Competence frameworks (EntreComp, LifeComp, DigComp) and their competences."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """A competence framework (EntreComp, LifeComp, DigComp…) that badges and courses align to."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=20, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(_("publication"), blank=True)
    uri = models.URLField(
        _("URI"),
        unique=True,
        help_text=_("Stable identifier of the framework (for example its DOI)."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} {self.version}".strip()


class Competency(models.Model):
    """One competence of a framework, e.g. EntreComp 1.1 Spotting opportunities."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competences")
    area_code = models.CharField(max_length=10)
    area_name = models.CharField(max_length=120)
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    uri = models.URLField(_("URI"), max_length=300, unique=True)

    class Meta:
        ordering = ["framework__name", "code"]
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_competency_code")
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} {self.code} {self.name}"
