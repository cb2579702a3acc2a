from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from lib import translations
        from partnerships.models import CaseStudyPage

        translations.keep_slugs(CaseStudyPage)
