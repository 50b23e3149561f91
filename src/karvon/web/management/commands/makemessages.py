"""makemessages that also collects strings marked `_l(...)` (gettext_lazy imported under that name)."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    # Forms and label tables import gettext_lazy as _l beside gettext as _: without this keyword their
    # strings never reach the catalogue and stay English in every other language.
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
