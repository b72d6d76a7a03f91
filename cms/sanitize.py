"""The one HTML policy: every stored HTML fragment goes through ``clean_html``.

This is the only module that imports bleach (deprecated upstream, security
fixes only), so replacing it is a one-file change.
"""

from __future__ import annotations

import html as _html
import re

import bleach
from bleach.css_sanitizer import CSSSanitizer
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "blockquote", "q", "cite", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd", "a", "img",
    "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "span",
    "abbr", "small", "mark",
})
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
    return _CONTROL.sub("", text or "")


def clean_html(html: str | None) -> Markup:
    """Sanitize untrusted HTML (editor output, Word paste, imports)."""
    text = _DROP_BLOCKS.sub("", _WORD_JUNK.sub("", strip_control_chars(html or "")))
    return Markup(_cleaner.clean(text).strip())


def clean_text(text: str | None) -> str:
    """Plain text: all tags removed, entities kept as text, control chars gone."""
    stripped = bleach.clean(_DROP_BLOCKS.sub("", strip_control_chars(text or "")), tags=set(), strip=True)
    return _html.unescape(stripped).strip()


def linkify(text: str) -> Markup:
    """Escape plain text and turn URLs into safe links."""
    return Markup(bleach.linkify(bleach.clean(text or "", tags=set(), strip=True)))
