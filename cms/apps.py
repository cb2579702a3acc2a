from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"

    def ready(self) -> None:
        from cms import checks, receivers  # noqa: F401 - checks registers
        from cms.conf import settings as conf
        from cms.models import HomePage, StandardPage
        from lib import pagecache, translations

        translations.keep_slugs(HomePage, StandardPage)
        conf.check()  # a malformed setting stops start-up, not each request that reads it
        pagecache.configure(conf)
        receivers.connect()
