"""The printable PDF certificate of an award.

Learner, badge, issuer, dates and status, every EU micro-credential element, the competences
it aligns to, and a QR code to the public verification page. Deterministic for a given award
state (reportlab's invariant mode), so it caches with an ETag.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import qrcode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from credentials.issuing import links
from credentials.issuing.endorsements import carried
from credentials.issuing.status import award_status
from credentials.models import Award
from credentials.models.editions import signed_title
from credentials.standards import eu_annex
from lib.language_names import in_sentence

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """DejaVu Sans (any script a name may use) when installed, else Helvetica."""
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def qr_png(url: str) -> bytes:
    image = qrcode.make(url, border=2, box_size=8)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# How the certificate writes an element's value where that is not its field's (display) value:
# each takes the element, the object its value comes from, and the award.
def _awarding_body(element: eu_annex.AnnexElement, issuer, award: Award) -> str:
    # A name is never an identity: the issuer's id (what a verifier checks) beside it.
    issuer_id = _("Issuer id: %(url)s") % {"url": links.issuer_profile_url(issuer)}
    return f"{element.value_of(issuer)}\n{issuer_id}"


def _date(element: eu_annex.AnnexElement, award: Award, _award: Award) -> str:
    return element.value_of(award).date().isoformat()


def _outcomes(element: eu_annex.AnnexElement, badge, award: Award) -> str:
    return "\n".join(f"• {line}" for line in eu_annex.lines(element.value_of(badge)))


def _workload(element: eu_annex.AnnexElement, badge, award: Award) -> str:
    hours, credits = (getattr(badge, term.field) for term in element.terms)
    shown = [ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}] if hours else []
    return ", ".join([*shown, f"{credits} ECTS"] if credits is not None else shown)


_WRITTEN = {
    "awarding_body": _awarding_body,
    "date_of_issue": _date,
    "learning_outcomes": _outcomes,
    "workload": _workload,
}


def eu_rows(award: Award) -> list[tuple[str, str]]:
    """Every EU micro-credential element (Annex I) with its value on this award, as the table
    of :mod:`credentials.standards.eu_annex` lists them."""
    badge = award.badge_class
    sources = {eu_annex.AWARD: award, eu_annex.BADGE: badge, eu_annex.ISSUER: badge.issuer}
    rows = []
    for element in eu_annex.in_order(eu_annex.CERTIFICATE):
        source = sources[element.source]
        written = _WRITTEN.get(element.key)
        value = written(element, source, award) if written else element.value_of(source, True)
        if not value and element.if_applicable:
            value = _("Not applicable")
        rows.append((_(element.label_in(eu_annex.CERTIFICATE)), str(value or "") or "—"))
    return rows


def edition_note(award: Award) -> str:
    """What a certificate in a badge's language edition says of the words it was signed in."""
    badge = award.badge_class
    name, language = signed_title(award)
    return _(
        "Shown in the %(language)s edition %(issuer)s wrote of this badge. The credential is "
        "signed in %(signed)s, as “%(name)s”."
    ) % {
        "language": in_sentence(badge.shown_language),
        "issuer": badge.issuer.name,
        "signed": in_sentence(language),
        "name": name,
    }


def certificate(award: Award) -> bytes:
    """The PDF bytes of ``award``'s certificate."""
    regular, bold = _fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=styles["BodyText"], fontName=regular, fontSize=9.5, leading=12
    )
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.grey)
    label = ParagraphStyle("label", parent=body, fontName=bold)
    title = ParagraphStyle("title", parent=styles["Title"], fontName=bold, fontSize=24, leading=28)
    lead = ParagraphStyle("lead", parent=body, fontSize=13, leading=17, alignment=1)
    badge, issuer = award.badge_class, award.badge_class.issuer
    status = award_status(award)
    url = links.award_url(award)

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = [
        para(_("Certificate of achievement"), title),
        para(_("%(issuer)s certifies that") % {"issuer": issuer.name}, lead),
        Spacer(1, 3 * mm),
        para(award.recipient_name or award.recipient_email, title),
        para(_("has earned “%(badge)s”") % {"badge": badge.name}, lead),
        Spacer(1, 2 * mm),
        para(badge.description, body),
        Spacer(1, 3 * mm),
    ]
    if getattr(badge, "edition", None) is not None:  # shown in the reader's language
        story.insert(-1, para(edition_note(award), small))
    facts = [_("Issued %(day)s") % {"day": award.issued_on.date().isoformat()}]
    if award.valid_until:
        facts.append(_("valid until %(day)s") % {"day": award.valid_until.date().isoformat()})
    facts.append(_("status: %(status)s") % {"status": status.upper()})
    if status == "revoked":
        facts.append(_("revoked: %(reason)s") % {"reason": award.revocation_reason})
    story.append(para(" · ".join(facts), label))
    story.append(Spacer(1, 4 * mm))
    rows = [[para(name, label), para(value)] for name, value in eu_rows(award)]
    competences = [str(c) for c in badge.competences()]
    if competences:
        rows.append([para(_("Competences"), label), para("\n".join(competences))])
    for number, endorsement in enumerate(carried(award.ob3_credential)):
        comment = endorsement["comment"]
        if len(comment) > 400:  # the whole comment is in the credential; a page must fit
            comment = comment[:400].rsplit(" ", 1)[0] + " …"
        name = _("Endorsed by") if number == 0 else ""
        rows.append([para(name, label), para(f"{endorsement['endorser']}: “{comment}”")])
    table = Table(rows, colWidths=[55 * mm, 115 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 5 * mm))
    qr = Image(io.BytesIO(qr_png(url)), width=32 * mm, height=32 * mm)
    verify = para(
        _(
            "Scan or open to verify this credential — Open Badges 2.0 and 3.0, signed by "
            "%(issuer)s (%(host)s):\n%(url)s"
        )
        % {"issuer": issuer.name, "host": urlsplit(url).netloc, "url": url},
        small,
    )
    footer = Table([[qr, verify]], colWidths=[36 * mm, 134 * mm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(footer)
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=15 * mm,
        title=f"{badge.name} — {award.recipient_name or _('certificate')}",
        author=issuer.name,
        subject=url,
        creator="Co-Create Academy",
        invariant=1,
    )
    document.build(story)
    return out.getvalue()
