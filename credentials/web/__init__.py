"""What people and programs reach over HTTP: URLs, views by audience, forms, the JSON API.

Views are thin: they call ``credentials.services``, ``credentials.issuing`` and
``credentials.verify``, never the other way round.
"""
