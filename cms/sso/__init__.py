"""Sign in with a university's own identity provider (OpenID Connect, SAML).

config: the providers read from the environment; provider, views, urls: allauth's OpenID
Connect provider with the ID token's signature and nonce always checked; adapter: which
addresses a provider may vouch for.
"""
