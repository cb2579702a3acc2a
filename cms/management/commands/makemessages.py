"""makemessages that also finds ``gettext_lazy as _lazy`` (modules that need both ``_`` forms).

xgettext only extracts the call names it is told; Django tells it ``_``, ``gettext_lazy`` and
their kin. `make messages` and tests/cms/test_translations.py run this command.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
