"""django-oauth-toolkit's scopes, narrowed to what each application registered with.

An application may ask a learner for the scopes it named when it registered (RFC 7591
``scope``) and no others: asking for more is ``invalid_scope``. Its default (no ``scope`` in
the request) is the site's default that it registered for. Applications without a
registration row keep every scope.
"""

from __future__ import annotations

from oauth2_provider.scopes import SettingsScopes

from credentials.services.connected_apps import registered_scopes


class RegisteredScopes(SettingsScopes):
    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        every = super().get_available_scopes(application, request, *args, **kwargs)
        registered = registered_scopes(application)
        if registered is None:
            return every
        return [scope for scope in every if scope in registered]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        available = self.get_available_scopes(application, request, *args, **kwargs)
        defaults = super().get_default_scopes(application, request, *args, **kwargs)
        return [scope for scope in defaults if scope in available]
