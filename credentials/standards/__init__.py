"""Pure Open Badges and Verifiable Credentials code: JSON-LD and its bundled contexts, Data
Integrity, JWS, keys, status lists, baking, the EU element table, hashed identities.

Nothing here imports Django or any module of ours outside ``credentials.standards``; callers hand
it keys, documents and loaders (as digitalbazaar's ``vc`` library is handed them).
"""
