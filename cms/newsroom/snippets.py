"""Search snippets: about 28 words around the first hit, the hits marked.

The words are marked with placeholders (``MARK_OPEN``/``MARK_CLOSE``) that
``marked`` turns into ``<mark>`` after escaping the text, so nothing in a
post can pose as a highlight.  Matching follows the FTS5 query of
``cms.newsroom.search`` (whole words, the last one also as a prefix).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # placeholders, escaped before <mark> goes in


def marked(snippet: str | None) -> Markup:
    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


_MARK_MATCH = MARK_OPEN + r"\g<0>" + MARK_CLOSE  # a template: no Python call per match
# The only characters that a case-insensitive pattern matches to ASCII
# letters while their lower case is not that letter (İ, ı, ſ, the Kelvin sign).
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _finds_like(lowered: tuple[str, ...], text_: str, low: str) -> bool:
    """Whether ``str.find`` of the ``lowered`` words in ``low`` (the text in
    lower case) finds every place the case-insensitive pattern can match:
    ASCII words, and a text whose lower case keeps each character in place
    and folds none of them into ASCII."""
    return all(w.isascii() for w in lowered) and (
        text_.isascii() or (len(low) == len(text_) and not _FOLDS_TO_ASCII.search(text_))
    )


@lru_cache(maxsize=512)
def _matcher(words: tuple[str, ...], prefix: bool) -> tuple[re.Pattern, tuple[str, ...]]:
    """A pattern matching like the FTS5 query (whole words, the last one also
    as a prefix if ``prefix``, case-insensitive) and the words in lower case
    for ``str.find``."""
    alternatives = [re.escape(w) + (r"\w*" if prefix and n == len(words) - 1 else r"\b") for n, w in enumerate(words)]
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE | re.UNICODE)
    return pattern, tuple(w.lower() for w in words)


def _first_hit(text_: str, pattern: re.Pattern, lowered: tuple[str, ...]) -> int:
    """Where ``pattern`` first matches ``text_`` (0 if nowhere).

    ``pattern.search`` walks a long body char by char (~10 ns each); finding
    candidates with ``str.find`` in the lower-cased text and checking each with
    ``pattern.match`` is ten times faster, where it finds the same places
    (``_finds_like``)."""
    low = text_.lower()
    if not _finds_like(lowered, text_, low):
        found = pattern.search(text_)
        return found.start() if found else 0
    best = len(text_)
    for word in lowered:
        at = low.find(word)
        while -1 < at < best and not pattern.match(text_, at):  # match() sees text_[at - 1] for \b
            at = low.find(word, at + 1)
        if -1 < at < best:
            best = at
    return best if best < len(text_) else 0


def cut_snippet(text_: str, words: list[str], width: int = 28, *, prefix: bool = False) -> str:
    """About ``width`` words around the first hit, hits wrapped in mark placeholders;
    with ``prefix`` the last word also marks the words it starts.

    Words are runs of non-space; the window starts ``width // 3`` words before
    the one holding the first hit.  Only the window is split and highlighted,
    so a hit deep in a long body costs no more than one near the top."""
    if not words:
        return ""
    pattern, lowered = _matcher(tuple(words), prefix)
    at = _first_hit(text_, pattern, lowered)
    while at and not text_[at - 1].isspace():  # back to the start of the word holding the hit
        at -= 1
    lead = width // 3
    before = text_[:at].rsplit(None, lead)  # the last ``lead`` words, and the rest if any
    cut_before = len(before) > lead
    before = before[-lead:] if lead else []
    rest = width - len(before)
    after = text_[at:].split(None, rest)
    cut_after = len(after) > rest
    window = " ".join(before + after[:rest]).replace(MARK_OPEN, "").replace(MARK_CLOSE, "")  # no fake <mark>
    return ("… " if cut_before else "") + _mark(window, pattern, lowered) + (" …" if cut_after else "")


def _mark(window: str, pattern: re.Pattern, lowered: tuple[str, ...]) -> str:
    """``pattern.sub`` wrapping each hit in mark placeholders, found as in
    ``_first_hit``: a match can only start where a word does, and trying
    ``pattern`` at every position (what ``sub`` does) costs 5 µs a snippet."""
    low = window.lower()
    if not _finds_like(lowered, window, low):
        return pattern.sub(_MARK_MATCH, window)
    starts = set()
    for word in lowered:
        at = low.find(word)
        while at != -1:
            starts.add(at)
            at = low.find(word, at + 1)
    parts, done = [], 0
    for at in sorted(starts):
        found = pattern.match(window, at) if at >= done else None
        if found:
            parts += [window[done:at], MARK_OPEN, found.group(0), MARK_CLOSE]
            done = found.end()
    return "".join(parts) + window[done:] if parts else window
