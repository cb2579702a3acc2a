"""Every string a person reads is marked for translation: templates, Python and scripts.

The extraction check: a template's text and its readable attributes must come from
``{% translate %}``/``{% blocktranslate %}`` or a variable; Python's user-facing positions (flash
messages, form and model labels, validation errors, choices) must hold ``gettext`` calls, not
bare literals; scripts show only ``gettext`` strings. What is legitimately not translated
(names, symbols, formats) is listed in ALLOWED with its reason.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
APPS = ["cms", "learning", "mentoring", "credentials", "lib"]
# Templates that are not ours to translate: vendor pages shown only to developers.
SKIP_TEMPLATES = {"ninja/swagger.html", "credentials/api_redoc.html"}
# Text that reads the same in every language, and why.
ALLOWED = {
    "Co-Create Academy",  # the platform's name
    "Open Badges",  # the standard's name
    "LinkedIn",
    "PNG",
    "SVG",
    "PDF",
    "JSON",
    "JSON-LD",
    "JWT",
    "CSV",
    "ICS",
    "OB",
    "TOTP",
    "WebAuthn",
    "EntreComp",
    "LifeComp",
    "DigComp",
    "ESCO",
    "Europass",
    "API",
    "OpenAPI",
}
WORD = re.compile(r"[^\W\d_]{2,}")
READABLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description", "label"}
MARK = "\x00"  # stands in for a variable in the text the parser sees
# Not read as text: scripts, styles, and code (column names, commands) shown as code.
HIDDEN_ELEMENTS = {"script", "style", "code", "kbd", "samp"}


def _only_allowed(text: str) -> bool:
    for allowed in sorted(ALLOWED, key=len, reverse=True):
        text = text.replace(allowed, " ")
    return not WORD.search(text.replace(MARK, " "))


def _template_text(source: str) -> str:
    """The template's literal text: tags and variables become MARK, marked blocks vanish."""
    out, skip, class_block = [], 0, False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            words = token.contents.split()
            name = words[0] if words else ""
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                skip += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                skip -= 1
            elif words[:2] == ["block", "body_class"]:
                class_block = True  # the page's CSS class names, not text
            elif name == "endblock":
                class_block = False
            if not skip:
                out.append(" ")  # a tag may sit inside an HTML tag: <tr{% if x %} class…>
        elif token.token_type == TokenType.VAR:
            if not skip:
                out.append(MARK)
        elif token.token_type == TokenType.TEXT and not skip and not class_block:
            out.append(token.contents)
    return "".join(out)


class _Readable(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value and (
                name in READABLE_ATTRIBUTES
                or (name == "content" and attrs.get("name") == "description")
                or (name == "value" and attrs.get("type") in ("submit", "button"))
            ):
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in HIDDEN_ELEMENTS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.found.append(data)


def unmarked_in_template(source: str, markup: bool = True) -> list[str]:
    text = _template_text(source)
    if markup:
        parser = _Readable()
        parser.feed(text)
        parser.close()
        pieces = parser.found
    else:
        pieces = [text]
    return [p.strip() for p in pieces if not _only_allowed(p)]


def _templates():
    for path in sorted(TEMPLATES.rglob("*")):
        relative = str(path.relative_to(TEMPLATES))
        if (
            path.is_file()
            and path.suffix in (".html", ".txt", ".ics", ".svg")
            and (relative not in SKIP_TEMPLATES)
        ):
            yield relative


@pytest.mark.parametrize("relative", list(_templates()))
def test_a_template_has_no_unmarked_text(relative):
    path = TEMPLATES / relative
    found = unmarked_in_template(path.read_text(), markup=path.suffix in (".html", ".svg"))
    assert not found, f"templates/{relative}: unmarked text {found[:5]}"


# Python: literals in the positions people read.
LABEL_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
MESSAGE_FUNCTIONS = {"success", "error", "info", "warning", "add_message"}


def _is_text(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORD.search(node.value)) and not _only_allowed(node.value)
    return isinstance(node, ast.JoinedStr)


def unmarked_in_python(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        for keyword in node.keywords:
            if keyword.arg in LABEL_KEYWORDS and _is_text(keyword.value):
                found.append((node.lineno, f"{keyword.arg}="))
            if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple)):
                for choice in keyword.value.elts:
                    pair = isinstance(choice, ast.Tuple) and len(choice.elts) == 2
                    if pair and _is_text(choice.elts[1]):
                        found.append((choice.lineno, "choices"))
        caller = getattr(getattr(node.func, "value", None), "id", None)
        shown = caller == "messages" and name in MESSAGE_FUNCTIONS
        if shown and any(_is_text(arg) for arg in node.args[1:]):
            found.append((node.lineno, f"messages.{name}"))
        if name == "ValidationError" and node.args and _is_text(node.args[0]):
            found.append((node.lineno, "ValidationError"))
        if name == "add_error" and len(node.args) > 1 and _is_text(node.args[1]):
            found.append((node.lineno, "add_error"))
    for node in ast.walk(ast.parse(source)):
        # Widget attributes people read: {"placeholder": "…", "title": "…", "aria-label": "…"}
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values, strict=True):
                readable = isinstance(k, ast.Constant) and k.value in READABLE_ATTRIBUTES
                if readable and _is_text(v):
                    found.append((node.lineno, f"{k.value!r}: …"))
    return found


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "management" in parts or "settings" in parts:
                continue
            if "demo_content" in parts or path.name == "demo.py":
                continue  # the demo's own content, not the interface
            yield str(path.relative_to(ROOT))


@pytest.mark.parametrize("relative", list(_python_files()))
def test_python_shows_people_only_marked_strings(relative):
    found = unmarked_in_python((ROOT / relative).read_text())
    assert not found, f"{relative}: unmarked text at lines {found[:8]}"


# Scripts: a string shown to a person is a gettext/ngettext call's argument.
SHOWN = re.compile(
    r"""(?:\.(?:textContent|innerText)\s*=\s*|\b(?:alert|confirm)\(\s*"""
    r"""|setAttribute\(\s*["'](?:aria-label|title)["']\s*,\s*)"""
    r"""(["'`])([^"'`]*[A-Za-z]{2,}[^"'`]*)\1"""
)


@pytest.mark.parametrize(
    "script",
    [p.name for p in sorted((ROOT / "static" / "js").glob("*.js")) if "redoc" not in p.name],
)
def test_a_script_shows_only_translated_strings(script):
    source = (ROOT / "static" / "js" / script).read_text()
    found = [m.group(2) for m in SHOWN.finditer(source) if not _only_allowed(m.group(2))]
    assert not found, f"static/js/{script}: unmarked text {found[:5]}"


# The checks themselves catch what they are for.
def test_the_template_check_finds_unmarked_text_and_attributes():
    source = '{% load i18n %}<p title="Hello there">{% translate "Fine" %}</p><b>Bad words</b>'
    assert unmarked_in_template(source) == ["Hello there", "Bad words"]
    marked = "<p>{% blocktranslate %}A {{ x }} b{% endblocktranslate %}</p><p>{{ name }}</p>"
    assert unmarked_in_template(marked) == []


def test_the_python_check_finds_bare_literals():
    source = (
        "messages.success(request, 'Saved it')\n"
        "x = forms.CharField(label='Your name', help_text=_('ok'))\n"
        "raise ValidationError(f'Bad {x}')\n"
        "y = models.CharField(choices=[('a', 'Apple'), ('b', _('Banana'))])\n"
        "w = forms.Textarea(attrs={'placeholder': 'Type here', 'rows': 4})\n"
    )
    assert [kind for _, kind in unmarked_in_python(source)] == [
        "messages.success",
        "label=",
        "ValidationError",
        "choices",
        "'placeholder': …",
    ]
