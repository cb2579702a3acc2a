import io

import pytest
from pypdf import PdfReader

from credentials import services
from credentials.issuing import pdf
from credentials.standards import eu_annex
from tests.credentials.factories import make_badge

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_certificate_names_learner_badge_issuer_and_every_eu_element(given):
    text = " ".join(text_of(pdf.certificate(given)).split())
    for expected in (
        given.recipient_name or given.recipient_email,
        given.badge_class.name,
        given.badge_class.issuer.name,
        "Netherlands",
        "Learning outcomes",
        "Spot a valorisation opportunity",
        "50 hours, 2.0 ECTS",
        "EQF 6",
        "Project presentation assessed by a jury",
        "Blended",
        "Accredited by the national agency",
        "Supervised on site",
        "Pass / fail",
        "Stacks into the Co-creation certificate",
        f"http://testserver/credentials/{given.public_id}/",
    ):
        assert expected in text, expected


def test_the_certificate_says_revoked_after_revocation(given, staff):
    revoked = services.revoke(given, "Issued by mistake", staff)
    assert "REVOKED" in text_of(pdf.certificate(revoked))


def test_the_certificate_embeds_the_qr_code_image(given):
    page = PdfReader(io.BytesIO(pdf.certificate(given))).pages[0]
    assert len(page.images) == 1
    qr = pdf.qr_png(f"http://testserver/credentials/{given.public_id}/")
    assert qr.startswith(b"\x89PNG")


def test_the_certificate_is_the_same_bytes_for_the_same_award(given):
    assert pdf.certificate(given) == pdf.certificate(given)


def test_the_certificate_names_the_endorsements_the_credential_carries(
    badge, learner, other_issuer, other_staff
):
    from credentials.issuing.signing import sign_award
    from credentials.services import endorsements

    endorsements.endorse(badge, other_issuer, "Helix hires its holders.", other_staff)
    award = sign_award(services.award(badge, learner))
    text = " ".join(text_of(pdf.certificate(award)).split())
    assert "Endorsed by" in text
    assert "Helix hires its holders." in text


def test_the_certificate_shows_the_issuers_id_beside_its_name(given):
    from credentials.issuing import links

    text = "".join(text_of(pdf.certificate(given)).split())  # long ids wrap across lines
    issuer_id = links.issuer_profile_url(given.badge_class.issuer)
    assert "Issuerid:" + issuer_id in text
    assert "(testserver):" in text


def test_the_rows_are_the_eu_tables_elements_and_say_what_is_missing(uni, learner):
    award = services.award(make_badge(uni, "bare", is_micro_credential=True), learner)
    rows = pdf.eu_rows(award)
    order = eu_annex.in_order(eu_annex.CERTIFICATE)
    assert [label for label, _value in rows] == [e.label_in(eu_annex.CERTIFICATE) for e in order]
    values = dict(rows)
    assert values["Level (EQF)"] == "Not applicable"  # mandatory only "if applicable"
    assert values["Type of assessment"] == values["Grade"] == "—"
    assert values["Country of the awarding body"] == "Netherlands"
    assert values["Language"] == "English"
