"""Indonesian stems for full-text search, the same on SQLite and PostgreSQL.

PostgreSQL's ``indonesian`` Snowball stemmer misses the prefixes that change
a root's first letter (penanaman → "anam", penolakan → "olak") and splits
kepegawaian from pegawai, and SQLite has no stemmer at all.  So the index
stores a second, stemmed copy of each text (Sastrawi, a dictionary stemmer
made for Indonesian) and the query is stemmed the same way; the unstemmed
text stays indexed so an exact word still ranks above a relative.

Sastrawi costs tens of microseconds a word; texts repeat their words, so
each word is stemmed once per process (``stem``'s LRU cache).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

WORD = re.compile(r"\w+", re.UNICODE)
# Shorter words are roots already (and Sastrawi would strip "di" from "dia").
MIN_STEM = 4


@cache
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory  # ~0.2 s to load its dictionary

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The root of one word, in lower case ("pemerintahan" → "perintah").

    Words with digits or outside the Latin alphabet (codes, names in other
    scripts) are kept as they are, lower-cased."""
    low = word.lower()
    if len(low) < MIN_STEM or not low.isascii() or not low.isalpha():
        return low
    return _stemmer().stem(low) or low


def words(text: str | None) -> list[str]:
    return WORD.findall(text or "")


def stem_text(*texts: str | None) -> str:
    """The stems of every word of ``texts``, space-separated, in order."""
    return " ".join(stem(w) for text in texts for w in WORD.findall(text or ""))
