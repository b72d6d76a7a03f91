""" "Apakah maksud Anda …": the closest known word to a misspelt one.

The vocabulary is the ``search_term`` table: each word of an index's public
text (posts that are public, published DIP entries — never a draft's or an
embargoed release's words) and how many rows hold it, rebuilt by
``flask cms reindex``.  A suggestion is looked up only when a search finds
little, among words of about the same length starting with the same letter,
by edit distance, the more frequent word winning a tie.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from sqlalchemy import text

from cms.content_version import content_changed
from cms.extensions import db
from cms.stemming import words

MAX_WORD = 64
MAX_DISTANCE = 2
CANDIDATES = 3000  # most frequent words of the right shape considered


def rebuild(connection, scope: str, texts: Iterable[tuple], progress: Callable[[int], None] | None = None) -> int:
    """Replace ``scope``'s vocabulary with the words of ``texts`` (rows of strings); returns the word count."""
    counts: Counter[str] = Counter()
    for n, row in enumerate(texts, 1):
        counts.update({w.lower() for value in row for w in words(value) if 2 < len(w) <= MAX_WORD})
        if progress and n % 1000 == 0:
            progress(n)
    connection.execute(text("DELETE FROM search_term WHERE scope = :scope"), {"scope": scope})
    rows = [{"scope": scope, "word": w, "docs": c} for w, c in counts.items() if not w.isdigit()]
    for start in range(0, len(rows), 5000):
        connection.execute(
            text("INSERT INTO search_term (scope, word, docs) VALUES (:scope, :word, :docs)"),
            rows[start : start + 5000],
        )
    return len(rows)


def distance(a: str, b: str, limit: int = MAX_DISTANCE) -> int:
    """Levenshtein distance of ``a`` and ``b`` (adjacent swaps count one), or ``limit + 1`` once above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


def _closest(connection, scope: str, word: str) -> str | None:
    known = connection.execute(
        text("SELECT 1 FROM search_term WHERE scope = :scope AND word = :word"), {"scope": scope, "word": word}
    ).first()
    if known:
        return word
    rows = connection.execute(
        text(
            "SELECT word, docs FROM search_term WHERE scope = :scope AND word >= :low AND word < :high "
            "AND length(word) BETWEEN :shortest AND :longest ORDER BY docs DESC LIMIT :limit"
        ),
        {
            "scope": scope,
            "low": word[0],
            "high": chr(ord(word[0]) + 1),
            "shortest": len(word) - MAX_DISTANCE,
            "longest": len(word) + MAX_DISTANCE,
            "limit": CANDIDATES,
        },
    ).all()
    letters = set(word)
    # Each edit changes at most two letters of the set: a cheap test in C
    # before the distance in Python.
    near = [(w, docs) for w, docs in rows if len(letters ^ set(w)) <= 2 * MAX_DISTANCE]
    best = min(((distance(word, w), -docs, w) for w, docs in near), default=None)
    return best[2] if best and best[0] <= MAX_DISTANCE else None


def suggest(connection, scope: str, q: str) -> str | None:
    """``q`` with each unknown word replaced by the closest known one, or
    ``None`` when every word is known or none has a close neighbour."""
    out, changed = [], False
    for w in words(q)[:12]:
        low = w.lower()
        better = _closest(connection, scope, low) if 3 < len(low) <= MAX_WORD and low.isalpha() else low
        if better and better != low:
            changed = True
        out.append(better or low)
    return " ".join(out) if changed else None


def suggest_word(scope: str, q: str) -> str | None:
    """``suggest`` on the session's connection (for views and plugins)."""
    return suggest(db.session.connection(), scope, q)


def rebuild_vocabularies(connection=None, echo: Callable[[str], None] | None = None) -> None:
    """Every registered vocabulary afresh (nightly, and after ``reindex``):
    words of newly published items become suggestions by the next day."""
    from cms.fulltext import VOCABULARIES

    if connection is None:
        with db.engine.begin() as connection:
            return rebuild_vocabularies(connection, echo)
    for scope, texts in VOCABULARIES.items():
        if connection.dialect.has_table(connection, scope):
            count = rebuild(connection, scope, texts(connection))
            if echo:
                echo(f"{scope}: {count:,} words in the vocabulary.")
    # Kept search pages show what the index found and suggested: a new index
    # (``reindex`` runs this last) or vocabulary is a change they must not outlive.
    content_changed(connection)
    return None


def reindex(connection, echo: Callable[[str], None] = print) -> None:
    """Stems and full-text index of every registered table, then their vocabularies."""
    from cms.fulltext import INDEXES

    for table, index in INDEXES.items():
        if not connection.dialect.has_table(connection, table):
            continue

        def progress(done: int, total: int, table: str = table) -> None:
            if done == total or done % 10_000 < 1000:
                echo(f"  {table}: {done:,} / {total:,} rows")

        changed = index.rebuild(connection, progress=progress)
        echo(f"{table}: index rebuilt, stems of {changed:,} rows updated.")
    rebuild_vocabularies(connection, echo)
