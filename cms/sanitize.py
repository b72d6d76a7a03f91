"""The one HTML policy: every stored HTML fragment goes through ``clean_html``.

This is the only module that imports bleach (deprecated upstream, security
fixes only), so replacing it is a one-file change.
"""

from __future__ import annotations

import html as _html
import re
from functools import lru_cache

import bleach
from bleach.css_sanitizer import CSSSanitizer
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "blockquote",
        "q",
        "cite",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "span",
        "abbr",
        "small",
        "mark",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "abbr": ["title"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Word's paste leaves conditional comments, <o:p>, <w:…> and mso styles.
_WORD_JUNK = re.compile(r"<!--\[if.*?<!\[endif\]-->|<\/?(?:o|w|m|v):[^>]*>", re.S | re.I)
# Google Docs wraps a whole copied fragment in <b style="font-weight:normal"
# id="docs-internal-guid-…">; kept, it would make everything bold.  Only the
# opening tag goes: the parser drops the stray </b>.
_DOCS_WRAPPER = re.compile(r"<b\b[^>]*\bid=[\"']?docs-internal-guid-[^>]*>", re.I)
# Content of these elements is code or styling, never text worth keeping.
_DROP_BLOCKS = re.compile(r"<(script|style|template|noscript|xml)\b.*?(?:</\1\s*>|$)", re.S | re.I)

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    css_sanitizer=CSSSanitizer(allowed_css_properties=()),
)


def strip_control_chars(text: str) -> str:
    """``text`` without control characters (which XML, PDFs and CSV readers choke on)."""
    return _CONTROL.sub("", text or "")


def clean_html(html: str | None) -> Markup:
    """Sanitize untrusted HTML (editor output, Word paste, imports)."""
    text = _DROP_BLOCKS.sub("", _WORD_JUNK.sub("", _DOCS_WRAPPER.sub("", strip_control_chars(html or ""))))
    return Markup(_cleaner.clean(text).strip())


@lru_cache(maxsize=4096)
def clean_html_memo(html: str) -> Markup:
    """``clean_html`` for output paths (feeds, e-mails) that clean stored
    bodies again, so rows written by imports or scripts are covered too;
    memoised, since the same bodies are cleaned on every rebuild."""
    return clean_html(html)


def clean_text(text: str | None) -> str:
    """Plain text from HTML input: tags removed, entities decoded, control
    chars gone.  Its result is text, never HTML: escape it for any HTML
    context (``text_html``), and never pass it through here again (a literal
    ``&lt;`` would be decoded a second time)."""
    stripped = bleach.clean(_DROP_BLOCKS.sub("", strip_control_chars(text or "")), tags=set(), strip=True)
    return _html.unescape(stripped).strip()


def text_html(text: str | None) -> Markup:
    """Plain text as HTML that shows exactly that text."""
    return Markup(_html.escape(strip_control_chars(text or ""), quote=False))


def plain_text(text: str | None) -> str:
    """Text that is already plain (a stored title): control chars gone, and
    nothing else touched, so ``<script>`` or ``&lt;`` stay the characters
    the page shows."""
    return strip_control_chars(text or "").strip()


def linkify(text: str) -> Markup:
    """Escape plain text and turn URLs into safe links."""
    return Markup(bleach.linkify(bleach.clean(text or "", tags=set(), strip=True)))
