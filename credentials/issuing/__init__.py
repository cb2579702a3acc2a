"""From a model to a signed document and a baked image: Open Badges 2.0 and 3.0 documents,
proofs, baking, the PDF certificate, the keystore and the public URLs they carry.

Imports ``credentials.standards`` and ``credentials.models`` only.
"""
