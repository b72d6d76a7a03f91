"""What a writer sees beside the text: word count, reading time, and how the
post will look as a search result and as a shared social card.

The cut rules are mirrored in ``static/editor/preview.js`` so the form
updates while typing; the server renders the same numbers first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from cms.sanitize import clean_text

# Indonesian prose read on screen: about 200 words a minute (stated in the form).
WORDS_PER_MINUTE = 200
# Google shows about 60 characters of a title and 155-160 of a description
# (it cuts by pixel width; characters are the usual stand-in).
TITLE_CUT = 60
DESCRIPTION_CUT = 158
_WORD = re.compile(r"[^\s]+")


def word_count(html: str | None) -> int:
    """Words of the body as a reader sees them (tags are not words)."""
    text = clean_text(re.sub(r"<(?:/p|br\s*/?|/li|/h\d)>", " ", html or "", flags=re.I))
    return len(_WORD.findall(text))


def reading_minutes(words: int) -> int:
    return math.ceil(words / WORDS_PER_MINUTE) if words else 0


def cut(text: str, limit: int) -> str:
    """``text`` as a result page cuts it: at a word, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,.;:—-") + " …"


def breadcrumb(url: str) -> str:
    """``https://warta.test/berita/slug`` → ``warta.test › berita › slug``."""
    bare = re.sub(r"^https?://", "", url or "").strip("/")
    return " › ".join(part for part in bare.split("/") if part)


@dataclass
class Snippet:
    title: str
    url: str
    description: str


def search_result(title: str, url: str, description: str) -> Snippet:
    return Snippet(cut(title, TITLE_CUT), breadcrumb(url), cut(description, DESCRIPTION_CUT))
