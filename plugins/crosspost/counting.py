"""Length rules of the networks, counted the way each network counts.

The ``regex`` package is the one import here: its ``\\X`` matches extended
grapheme clusters (a flag emoji or a ZWJ family is one), which is what
Mastodon and Bluesky count.  X weighs code points per twitter-text v3.
Without ``regex`` installed a simpler segmenter (combining marks, ZWJ
sequences, variation selectors, skin tones, flag pairs) keeps counting right
for Indonesian text and common emoji.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\"\.,;:!?\)\]'”]")


@cache
def _patterns():
    """``regex``'s grapheme and emoji patterns, or ``(None, None)`` without it.
    Compiled at the first count, not when the plugin loads: ``regex`` is
    1.4 MiB that a web worker serving public pages never needs (issue #24)."""
    try:
        import regex
    except ImportError:  # pragma: no cover - exercised through _fallback_graphemes in tests
        return None, None
    return regex.compile(r"\X"), regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


def _is_emoji(cluster: str) -> bool:
    emoji = _patterns()[1]
    return bool(emoji.search(cluster)) if emoji is not None else any(_is_picto(c) for c in cluster)


_ZWJ, _RI = "\u200d", range(0x1F1E6, 0x1F200)
_EXTENDERS = set(range(0xFE00, 0xFE10)) | set(range(0x1F3FB, 0x1F400)) | set(range(0xE0020, 0xE0080))
_PICTO = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x27BF),
    (0x2190, 0x21FF),
    (0x2B00, 0x2BFF),
    (0x3030, 0x303D),
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x2049),
    (0x2122, 0x2122),
    (0x2300, 0x23FF),
)


def _is_picto(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _PICTO) or cp in _RI


def _fallback_graphemes(text: str) -> list[str]:
    clusters: list[str] = []
    for ch in text:
        if clusters:
            last = clusters[-1]
            joins = (
                unicodedata.category(ch) in ("Mn", "Mc", "Me")
                or ord(ch) in _EXTENDERS
                or ch == _ZWJ
                or (last.endswith(_ZWJ) and _is_picto(ch))
                or (last == "\r" and ch == "\n")
                or (ord(ch) in _RI and len(last) == 1 and ord(last) in _RI)
            )
            if joins:
                clusters[-1] = last + ch
                continue
        clusters.append(ch)
    return clusters


# twitter-text v3 configuration: weight 100 (= 1 char) inside these ranges,
# 200 (= 2 chars) elsewhere; every URL counts as 23; an emoji sequence counts 2.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
URL_LENGTH = 23


def graphemes(text: str) -> list[str]:
    grapheme = _patterns()[0]
    if grapheme is None:
        return _fallback_graphemes(text or "")
    return grapheme.findall(text or "")


def grapheme_count(text: str) -> int:
    return len(graphemes(text))


def utf8_bytes(text: str) -> int:
    return len((text or "").encode("utf-8"))


def utf16_units(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len((text or "").encode("utf-16-le")) // 2


def urls(text: str) -> list[str]:
    return [m.group(0) for m in URL_RE.finditer(text or "")]


def _replace_urls(text: str, placeholder: str) -> str:
    return URL_RE.sub(placeholder, text or "")


_REMOTE_MENTION = re.compile(r"(?<![\w/])(@\w+)@[\w.-]+\w")


def mastodon_length(text: str, url_length: int = URL_LENGTH) -> int:
    """Mastodon's validator: graphemes, every URL as ``url_length``, a remote
    mention ``@user@domain`` only by its local part ``@user``."""
    n_urls = len(urls(text))
    rest = _REMOTE_MENTION.sub(r"\1", _replace_urls(text, ""))
    return grapheme_count(rest) + n_urls * url_length


def _x_char_weight(ch: str) -> int:
    cp = ord(ch)
    return 1 if any(lo <= cp <= hi for lo, hi in _X_LIGHT_RANGES) else 2


def x_weighted_length(text: str) -> int:
    """Weighted length per twitter-text v3 (the 280 limit of X)."""
    text = unicodedata.normalize("NFC", text or "")
    total = len(urls(text)) * URL_LENGTH
    for cluster in graphemes(_replace_urls(text, "")):
        if _is_emoji(cluster):
            total += 2
        else:
            total += sum(_x_char_weight(ch) for ch in cluster)
    return total


_HASHTAG = re.compile(r"(?<![\w&/])#\w+")
_MENTION = re.compile(r"(?<![\w/])@[\w.]+")


def hashtags(text: str) -> list[str]:
    """``#tags`` outside URLs (a URL fragment is not a hashtag)."""
    return _HASHTAG.findall(_replace_urls(text, " "))


def mentions(text: str) -> list[str]:
    return _MENTION.findall(_replace_urls(text, " "))


def instagram_length(text: str) -> int:
    """Instagram's 2,200-character caption limit, counted conservatively in
    UTF-16 code units (an emoji counts 2), the unit Meta's apps check."""
    return utf16_units(text)


def threads_length(text: str) -> int:
    """Threads: one per character, but an emoji counts its UTF-8 bytes (Meta's documented rule)."""
    total = 0
    for cluster in graphemes(text or ""):
        total += utf8_bytes(cluster) if _is_emoji(cluster) else 1
    return total


def shorten_words(text: str, fits, ellipsis: str = "…") -> str:
    """Cut ``text`` at a word boundary until ``fits(candidate)`` holds.

    Used only for generated default messages (a summary that is too long);
    text a person typed is never cut: it is blocked at edit time instead.
    """
    if fits(text):
        return text
    words = text.split()
    while words:
        words.pop()
        candidate = " ".join(words).rstrip(",;:-–—") + ellipsis
        if fits(candidate):
            return candidate
    return ""
