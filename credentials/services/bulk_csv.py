"""Reading a bulk award's CSV: every row checked, every problem with its line number.

``check_csv`` is the first step of a bulk award (credentials/services/bulk.py): what it returns
is what the person confirms before anything is awarded.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import formats
from django.utils.translation import gettext as _

from credentials.models import BadgeClass
from credentials.services import awards as services
from credentials.standards.jsonld import UNPORTABLE_CONTROL

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
COLUMNS = ("email", "name", "evidence_name", "evidence_narrative", "evidence_url")
_ALIASES = {
    "e-mail": "email",
    "email address": "email",
    "e-mail address": "email",
    "mail": "email",
    "full name": "name",
    "recipient name": "name",
    "evidence": "evidence_narrative",
    "narrative": "evidence_narrative",
    "evidence url": "evidence_url",
    "url": "evidence_url",
    "evidence name": "evidence_name",
    "evidence narrative": "evidence_narrative",
}
TEMPLATE = (
    "email,name,evidence_name,evidence_narrative,evidence_url\r\n"
    "lena@example.org,Lena Novak,Pitch deck,Pitched the team's venture to the jury,"
    "https://example.org/pitch-deck\r\n"
    "omar@example.org,Omar Haddad,,,\r\n"
)


class BulkAwardError(ValueError):
    """A bulk award that cannot start or go on, with a reason a person can read."""


@dataclass(frozen=True)
class RowProblem:
    line: int
    value: str
    message: str
    name: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "email": self.value, "name": self.name, "why": self.message}


def _header(name: str) -> str:
    key = " ".join(name.strip().lower().replace("_", " ").split())
    key = _ALIASES.get(key, key.replace(" ", "_"))
    return key


def _too_large() -> str:
    return _("The file is larger than %(n)s MB.") % {"n": MAX_BYTES // (1024 * 1024)}


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BulkAwardError(
            _("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8”.")
        ) from None


def _delimiter(text: str) -> str:
    """The header row's separator; everything else is Excel's CSV (``""`` inside quotes)."""
    try:
        return csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def check_csv(badge: BadgeClass, upload: Any) -> tuple[list[dict], list[RowProblem]]:
    """The rows of the CSV ``upload`` for ``badge``, or every problem found (with line numbers).

    Columns (a header row is required, in any order): ``email`` (required), ``name``,
    ``evidence_name``, ``evidence_narrative``, ``evidence_url``. Comma, semicolon or tab
    separated, UTF-8. Raises ``BulkAwardError`` for a file that cannot be read at all.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise BulkAwardError(_too_large())
    data = upload.read(MAX_BYTES + 1) if hasattr(upload, "read") else bytes(upload)
    if len(data) > MAX_BYTES:
        raise BulkAwardError(_too_large())
    text = _decode(data)
    if not text.strip():
        raise BulkAwardError(_("The file is empty."))
    if "\x00" in text:
        raise BulkAwardError(_("This is not a CSV file (it holds binary data)."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = [_header(cell) for cell in next(reader)]
    except csv.Error as error:
        raise BulkAwardError(
            _("The file is not valid CSV: %(error)s.") % {"error": error}
        ) from None
    if "email" not in header:
        raise BulkAwardError(
            _(
                "The first row must name the columns, with one called “email”. "
                "Download the template to see the layout."
            )
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise BulkAwardError(
            _("Column(s) named twice: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise BulkAwardError(
            _("Unknown column(s): %(unknown)s. Use: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)}
        )
    rows: list[dict] = []
    problems: list[RowProblem] = []
    first_line: dict[str, int] = {}
    url = URLValidator(schemes=["http", "https"])
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                raise BulkAwardError(
                    _("The file has more than %(n)s rows; split it.")
                    % {"n": formats.number_format(MAX_ROWS, force_grouping=True)}
                )
            values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in
                      enumerate(header) if name}  # fmt: skip
            email = values.get("email", "").lower()
            problem = _row_problem(badge, values, email, first_line, url)
            if not problem and any(cell.strip() for cell in cells[len(header) :]):
                problem = _(
                    "has more cells than there are columns "
                    "(a value with a comma or semicolon in it needs quotes)"
                )
            if problem:
                who = email or values.get("email", "")
                problems.append(RowProblem(line, who, problem, values.get("name", "")[:200]))
                continue
            first_line[email] = line
            rows.append(_row(line, email, values))
    except csv.Error as error:
        raise BulkAwardError(
            _("Line %(line)s is not valid CSV: %(error)s.")
            % {"line": reader.line_num, "error": error}
        ) from None
    if not rows and not problems:
        raise BulkAwardError(_("The file names the columns but has no recipients."))
    return rows, problems


def _row_problem(badge, values, email, first_line, url) -> str:
    try:
        validate_email(email)
    except ValidationError:
        return _("not a valid e-mail address") if email else _("the e-mail address is missing")
    if len(email) > services.MAX_EMAIL_LENGTH:
        return _("the e-mail address is longer than %(n)s characters") % {
            "n": services.MAX_EMAIL_LENGTH
        }
    if any(UNPORTABLE_CONTROL.search(value) for value in values.values()):
        return _("contains an invisible control character (copy the text again, or retype it)")
    if email in first_line and not badge.allow_reaward:
        return _("appears twice (first on line %(line)s)") % {"line": first_line[email]}
    if values.get("evidence_url"):
        try:
            url(values["evidence_url"])
        except ValidationError:
            return _("the evidence URL is not a web address (http or https)")
    if len(values.get("name", "")) > 200:
        return _("the name is longer than %(n)s characters") % {"n": 200}
    return ""


def _row(line: int, email: str, values: dict) -> dict:
    evidence = {
        key: values.get(f"evidence_{key}", "")
        for key in ("name", "narrative", "url")
        if values.get(f"evidence_{key}")
    }
    if evidence and not evidence.get("name") and not evidence.get("narrative"):
        evidence["name"] = "Evidence"
    row: dict[str, Any] = {"line": line, "email": email}
    if values.get("name"):
        row["name"] = values["name"]
    if evidence:
        row["evidence"] = evidence
    return row
