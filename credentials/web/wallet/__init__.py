"""OpenID for Verifiable Credential Issuance 1.0: wallets receive our credentials."""
