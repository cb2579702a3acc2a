"""A SAML identity provider on paper: a key and certificate made at start, and SAML responses
built and signed (or not) the way an eduGAIN IdP (Shibboleth) sends them to our ACS."""

from __future__ import annotations

import base64
import datetime as dt
import zlib
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

ENTITY_ID = "https://idp.southgate.example/idp/shibboleth"
SSO_URL = "https://idp.southgate.example/idp/profile/SAML2/Redirect/SSO"
EMAIL_ATTRIBUTE = "urn:oid:0.9.2342.19200300.100.1.3"


def key_and_certificate() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.southgate.example")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


def request_id(redirect_url: str) -> str:
    """The ID of the AuthnRequest our SP put in its redirect to the IdP."""
    encoded = parse_qs(urlsplit(redirect_url).query)["SAMLRequest"][0]
    xml = zlib.decompress(base64.b64decode(encoded), -15)
    return ElementTree.fromstring(xml).attrib["ID"]


def _instant(delta: dt.timedelta = dt.timedelta()) -> str:
    return (dt.datetime.now(dt.UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def assertion(*, acs: str, audience: str, in_response_to: str, email: str, uid: str) -> str:
    now, later = _instant(), _instant(dt.timedelta(minutes=5))
    before = _instant(dt.timedelta(minutes=-1))
    return f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a{uid}" Version="2.0" IssueInstant="{now}">
<saml:Issuer>{ENTITY_ID}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">{uid}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData NotOnOrAfter="{later}" Recipient="{acs}" InResponseTo="{in_response_to}"/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{before}" NotOnOrAfter="{later}">
<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{now}" SessionIndex="_s{uid}">
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>
<saml:Attribute Name="{EMAIL_ATTRIBUTE}"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute>
</saml:AttributeStatement>
</saml:Assertion>"""  # noqa: E501


def sign(xml: str, key_pem: str, certificate_pem: str) -> str:
    signed = OneLogin_Saml2_Utils.add_sign(
        xml,
        key_pem,
        certificate_pem,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    return signed.decode() if isinstance(signed, bytes) else signed


def response(*, acs: str, in_response_to: str, the_assertion: str) -> str:
    """A SAMLResponse form value (base64) wrapping ``the_assertion``."""
    if the_assertion.startswith("<?xml"):
        the_assertion = the_assertion.split("?>", 1)[1]
    xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{in_response_to}" Version="2.0" IssueInstant="{_instant()}" Destination="{acs}" InResponseTo="{in_response_to}">
<saml:Issuer>{ENTITY_ID}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
{the_assertion}
</samlp:Response>"""  # noqa: E501
    return base64.b64encode(xml.encode()).decode()
