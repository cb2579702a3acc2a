"""The verifier: given a document, what an employer may believe about it.

Handed a fetcher, a clock and a lookup of the issuers this site knows; only ``site`` (the site
adapter) touches Django and our models.
"""
