"""The verifier: given a document, what an employer may believe about it.

Handed a fetcher, a clock, a lookup of the issuers this site knows, a cache and the values of
its settings; only ``site`` (the site adapter) touches Django and our models, and builds the
real ones. The entry point is :func:`credentials.verify.site.verify` (the pure one:
:func:`credentials.verify.engine.verify`).
"""
