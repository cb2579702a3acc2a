"""OAuth 2.0 for the Open Badges 3.0 and CLR 2.0 APIs (django-oauth-toolkit)."""
