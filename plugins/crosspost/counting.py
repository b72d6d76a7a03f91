"""Length rules of the networks, counted the way each network counts.

The ``regex`` package is the one import here: its ``\\X`` matches extended
grapheme clusters (a flag emoji or a ZWJ family is one), which is what
Mastodon and Bluesky count.  X weighs code points per twitter-text v3.
"""

from __future__ import annotations

import unicodedata

import regex

URL_RE = regex.compile(r"https?://[^\s<>\"]+[^\s<>\"\.,;:!?\)\]'”]")
_GRAPHEME = regex.compile(r"\X")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")

# twitter-text v3 configuration: weight 100 (= 1 char) inside these ranges,
# 200 (= 2 chars) elsewhere; every URL counts as 23; an emoji sequence counts 2.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
URL_LENGTH = 23


def graphemes(text: str) -> list[str]:
    return _GRAPHEME.findall(text or "")


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


_REMOTE_MENTION = regex.compile(r"(?<![\w/])(@\w+)@[\w.-]+\w")


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
        if _EMOJI.search(cluster):
            total += 2
        else:
            total += sum(_x_char_weight(ch) for ch in cluster)
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
