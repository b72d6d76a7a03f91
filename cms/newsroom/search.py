"""Full-text search over public posts: SQLite FTS5 or PostgreSQL tsvector.

Both match Indonesian stems (``cms.fulltext``: "pemerintahan" finds
"pemerintah", "perizinan" finds "izin") and rank an exact word above a
relative.  SQLite: ``post_fts`` is an FTS5 *external-content* table over
``post`` kept in step by triggers.  PostgreSQL: the stored ``simple``
tsvector of the stems (``post.search_vector``) and its GIN index.  Never ``LIKE`` over
bodies.

``ensure_schema()`` creates these objects; the migration calls it and so does
an ``after_create`` event on the ``post`` table (tests use ``create_all``).
"""

from __future__ import annotations

import time
import weakref
from datetime import UTC, datetime
from itertools import islice
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from flask import g
from sqlalchemy import ColumnElement, bindparam, column, func, or_, text

from cms.extensions import db
from cms.fulltext import fts5_match, pg_stem_query, query_terms, register_vocabulary
from cms.inputs import page_number
from cms.models.content import POST_INDEX as INDEX
from cms.models.content import Post
from cms.newsroom.search_hits import Hit, HitMaker
from cms.newsroom.snippets import MARK_OPEN, cut_snippet, marked
from cms.stemming import WORD as STEM_WORD
from cms.stemming import stem

PG_DOCUMENT = INDEX.pg_vector  # the stored tsvector of the stems
# Matches are counted up to here; past it the page says "more than 1.000" and
# lists newest first, because ranking every match of a very common word is slow.
MAX_RESULTS = 1000
# The last word matches as a prefix only from this length: FTS5 expands a
# prefix by merging the doclists of every word starting with it, and for one
# or two letters ("b", "ke") that is most of the index (0.1-0.7 s a query on
# 50,000 items) while hardly anyone means "any word starting with ke".
MIN_PREFIX = 3
# ... and only while the words taken whole find fewer items than this: a
# complete common word ("lingkungan") then finds what it says, not also every
# longer word, and skips the merge (ten times the cost of the word alone);
# a fragment ("lingkun", "banj") still finds the words it starts.
WHOLE_WORDS_ENOUGH = 20


ensure_schema = INDEX.ensure
drop_schema = INDEX.drop
MAX_QUERY = 200  # characters of a query kept (the form's maxlength)


def normal_query(raw: str | None) -> str:
    """The query as the page uses and shows it: runs of white space made one
    space, at most ``MAX_QUERY`` characters.  Trivially different spellings
    of one query then give the same page (and share it in the cache)."""
    return " ".join((raw or "").split())[:MAX_QUERY].strip()


def search_key(query_string: str) -> str | None:
    """The key of the ``/cari`` page that ``query_string`` gives: the
    normalised ``q`` and page number, so "q=Banjir++Bekasi", "page=1&q=
    Banjir%20Bekasi" and "q=Banjir Bekasi" share one page.  ``None`` (keep
    the query string as it is) when another parameter is present, since it
    may change the page (``lang`` sets the language), or the page is none."""
    try:
        args = parse_qsl(query_string.encode("latin-1").decode(), keep_blank_values=True, errors="werkzeug.url_quote")
    except (UnicodeError, ValueError):
        return None
    q = page = None
    for name, value in args:
        if name == "q":
            q = value if q is None else q
        elif name == "page":
            page = value if page is None else page
        else:
            return None
    number = page_number(page)
    if number is None:
        return None
    return urlencode({"q": normal_query(q), "page": number})


def visible_until() -> float | None:
    """When time alone next changes what a search finds (an embargo lifting):
    a kept results page must not outlive it."""
    known = _hidden.get(db.engine)  # SQLite: read by this request's search
    if known is not None and db.engine.dialect.name == "sqlite":
        return known.until
    from cms.newsroom.publishing import next_embargo_lift

    # From the time the search filtered at: an embargo lifting during the
    # render is still ahead of that page, which must expire at it.
    return next_embargo_lift(g.get("search_now"))


def public_texts(connection):
    """Title, summary and body of every public post (the "did you mean" vocabulary)."""
    from cms.newsroom.publishing import public_filter

    public_sql, params = public_filter()
    return connection.execute(text(f"SELECT title, summary, body_text FROM post WHERE {public_sql}"), params)


register_vocabulary("post", public_texts)


def _count_sql(base: str) -> str:
    """Matches, counted up to ``MAX_RESULTS + 1``."""
    return f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {MAX_RESULTS + 1}) hits"


def _count(base: str, params: dict) -> int:
    return db.session.execute(text(_count_sql(base)), params).scalar_one()


_COLUMNS = "post.id, post.kind, post.slug, post.title, post.published_at"


def _sqlite(sql: str, params: dict) -> list[tuple]:
    """Rows of ``sql`` (``:name`` parameters, sqlite3's own style) run on the
    session's DBAPI connection, inside its transaction.

    A search page runs three or four small statements; SQLAlchemy's
    statement and result layers cost a third as much again as the FTS5 work."""
    params = {
        k: v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v  # as SQLAlchemy stores
        for k, v in params.items()
    }
    cursor = db.session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]  # a live connection has one
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


# Ids of the posts that are not public, per database, with the change
# counter they were read under and when the next embargo lifts (time alone
# only ever makes posts public).  Beyond HIDDEN_MAX the join filters instead.
HIDDEN_MAX = 5000
_hidden: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _Hidden(NamedTuple):
    counter: int
    until: float | None  # when the next embargo lifts
    ids: frozenset[int] | None  # None: more than HIDDEN_MAX
    sql: str  # " AND post_fts.rowid NOT IN (…)", or "" when none is hidden


# The complement of ``publishing.public_condition`` as ranges of
# ``ix_post_embargo (status, embargo_until)``, which covers them: NOT (…)
# of the rule cannot use an index, and read every post after each change
# (3 ms at 50,000 items, 31 ms at 500,000: the whole of a search's growth).
_HIDDEN_SQL = (
    "SELECT id FROM post WHERE status < :public UNION ALL "
    "SELECT id FROM post WHERE status > :public UNION ALL "
    "SELECT id FROM post WHERE status = :public AND embargo_until > :now"
)


# publishing.next_embargo_lift as raw SQL: this module's statements run on
# the DBAPI cursor (see _sqlite).
_NEXT_LIFT_SQL = "SELECT min(embargo_until) FROM post WHERE status = :public AND embargo_until > :now"


def _hidden_ids(params: dict) -> _Hidden:
    """Posts the public may not see (``ids`` is ``None`` when there are too many).

    The FTS pass then needs no join: checking each match against the post
    table doubled the cost of a common word (0.8 against 0.3 ms).  The set is
    read again whenever the change counter moves, which every change to a
    post bumps in its own transaction (``cms.content_version``).  The counter is
    read first: a change landing between it and the set is read again by
    the next search (SQLite reads here are one statement each, not one
    snapshot)."""
    from cms.newsroom.publishing import PUBLIC_STATUS

    state = _sqlite("SELECT counter FROM feeds_state WHERE id = 1", {})
    counter = state[0][0] if state else 0
    known = _hidden.get(db.engine)
    if known is not None and known.counter == counter and (known.until is None or time.time() < known.until):
        return known
    rows = _sqlite(f"{_HIDDEN_SQL} LIMIT {HIDDEN_MAX + 1}", {**params, "public": PUBLIC_STATUS})
    ids = frozenset(r[0] for r in rows) if len(rows) <= HIDDEN_MAX else None
    lift = _sqlite(_NEXT_LIFT_SQL, {**params, "public": PUBLIC_STATUS})[0][0]
    until = datetime.fromisoformat(lift).replace(tzinfo=UTC).timestamp() if lift else None
    # Integers only, so the list can be part of the statement: sqlite3 keeps
    # the prepared statement while the set stands.
    sql = f" AND post_fts.rowid NOT IN ({','.join(map(str, sorted(ids)))})" if ids else ""
    _hidden[db.engine] = known = _Hidden(counter, until, ids, sql)
    return known


def _public_matches(public_sql: str, params: dict) -> tuple[str, bool]:
    """``FROM … WHERE …`` of the public posts matching ``:match``, and
    whether it joins the post table.

    The FTS index alone when the hidden posts are few enough to list;
    otherwise FTS first (CROSS JOIN fixes the order), then a covering index
    answers "is it public?" without reading the wide post rows."""
    hidden = _hidden_ids(params)
    if hidden.ids is not None:
        return "FROM post_fts WHERE post_fts MATCH :match" + hidden.sql, False
    return (
        "FROM post_fts CROSS JOIN post INDEXED BY ix_post_visibility ON post.id = post_fts.rowid "
        f"WHERE post_fts MATCH :match AND {public_sql}"
    ), True


BM25 = "8.0, 3.0, 1.0, 6.0, 1.0"  # weights of title, summary, body, their stems


def _page_of(base: str, joined: bool, params: dict, total: int, offset: int, per_page: int) -> list[int]:
    """The page's ids: best first (bm25) up to ``MAX_RESULTS`` matches, newest first beyond."""
    if total > MAX_RESULTS:
        order = "ORDER BY post_fts.rowid DESC"
    elif joined:
        # "rank MATCH" lets FTS5 sort by bm25 itself, streaming into the
        # join, instead of SQLite sorting every joined match in a temp b-tree.
        order = f"AND post_fts.rank MATCH 'bm25({BM25})' ORDER BY post_fts.rank"
    else:
        # From the index alone SQLite's own top-N sort is a third cheaper
        # than FTS5's sorted mode (0.67 against 0.94 ms for 700 matches).
        order = f"ORDER BY bm25(post_fts, {BM25})"
    return [
        r[0]
        for r in _sqlite(
            f"SELECT post_fts.rowid {base} {order} LIMIT :limit OFFSET :offset",
            {**params, "limit": per_page, "offset": offset},
        )
    ]


class _Row(NamedTuple):
    id: int
    kind: str
    slug: str
    title: str
    published_at: datetime | None
    summary: str | None
    body_text: str | None
    text_stems: str | None  # where the snippet looks for a relative of a word


# What the hits show.  The stems come along although only hits found through
# a relative need them: reading them with the row costs less than a second
# statement for those hits (half the pages had one).
_HIT_COLUMNS = f"{_COLUMNS}, post.summary, post.body_text, post.text_stems"


def _sqlite_rows(ids: list[int]) -> list[_Row]:
    """The hits' rows, for ``ids`` (published_at parsed as SQLAlchemy would)."""
    names = {f"id{n}": i for n, i in enumerate(ids)}
    rows = _sqlite(
        f"SELECT {_HIT_COLUMNS} FROM post WHERE post.id IN ({', '.join(':' + name for name in names)})",
        names,
    )
    return [
        _Row(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4]) if r[4] else None, r[5], r[6], r[7]) for r in rows
    ]


def search(q: str, *, page: int = 1, per_page: int = 20) -> tuple[list[Hit], int]:
    """Public posts matching ``q`` (best first) and the count, at most ``MAX_RESULTS + 1``."""
    from cms.newsroom.publishing import public_filter

    q = normal_query(q)
    if not q:
        return [], 0
    offset = (max(page, 1) - 1) * per_page
    public_sql, params = public_filter()
    g.search_now = params["now"]  # what visible_until measures from (an embargo may lift meanwhile)
    terms = query_terms(q)
    if not terms:
        return [], 0
    if db.engine.dialect.name != "sqlite":
        return _search_postgresql(terms, public_sql, params, offset, per_page)
    base, joined = _public_matches(public_sql, params)
    # The count alone is the cheapest FTS pass (no rows to Python); the page
    # is then one more, ranked or newest first.
    params["match"] = fts5_match(INDEX, terms)
    total = _sqlite(_count_sql(base), params)[0][0]
    prefix = len(terms[-1][0]) >= MIN_PREFIX and total < WHOLE_WORDS_ENOUGH
    if prefix:
        params["match"] = fts5_match(INDEX, terms, prefix=True)
        total = _sqlite(_count_sql(base), params)[0][0]
    ids = _page_of(base, joined, params, total, offset, per_page) if total > offset else []
    if not ids:
        return [], total
    return _hits(ids, _sqlite_rows(ids), terms, prefix), total


def _index(items: list[str], item: str) -> int:
    try:
        return items.index(item)
    except ValueError:
        return -1


def _relatives(words: list[str], text_: str, stems: str | None, roots: frozenset[str]) -> list[str]:
    """``words``, led by the first word of ``text_`` whose stem is one of
    ``roots`` when that is not a word as typed ("Pemerintah" for
    "pemerintahan"): what its snippet marks.

    Read from the stored stems (one per word, in order), never by stemming
    the text again: Sastrawi costs milliseconds a word it has not seen, and
    only the first relative is looked for (the snippet is cut around it)."""
    split = (stems or "").split()
    first = min((_index(split, root) for root in roots), default=-1)
    if first < 0:
        return words
    found = next(islice(STEM_WORD.finditer(text_), first, None), None)
    relative = found.group(0).lower() if found else None
    if relative is None or relative in words or stem(relative) != split[first]:  # stems older than the text
        return words
    return [relative, *words]  # the last word stays last: it may be a prefix


def _hits(ids: list[int], rows, terms: list[tuple[str, str]], prefix: bool) -> list[Hit]:
    """The hits in ``ids`` order, snippets cut in Python (FTS5's snippet()
    rescans every match), marking the words as typed and their relatives."""
    labels = HitMaker()
    words = [w for w, _ in terms]
    roots = frozenset(r for _, r in terms)
    texts = {r.id: f"{r.summary} {r.body_text}" for r in rows}
    snippets = {i: cut_snippet(t, words, prefix=prefix) for i, t in texts.items()}
    for row in rows:
        # No word as typed in the text: the match was a relative, found
        # through the stored stems.
        if MARK_OPEN not in snippets[row.id]:
            marks = _relatives(words, texts[row.id], row.text_stems, roots)
            if marks is not words:
                snippets[row.id] = cut_snippet(texts[row.id], marks, prefix=prefix)
    hits = {r.id: labels.hit(r, marked(snippets[r.id])) for r in rows}
    return [hits[i] for i in ids if i in hits]


# A count reads every match from the GIN index, a bitmap of all of them:
# 7 ms for a word in 45,000 of 50,000 items, 20-40 ms at 500,000.  Where
# the planner's estimate (from the words' statistics, which ANALYZE keeps)
# is this far past MAX_RESULTS, the count could only say "more than
# 1,000", so it is skipped; a rare word's estimate is a small default, so
# it is always counted.
COUNT_SKIP_ESTIMATE = 10 * MAX_RESULTS


def _estimate(base: str, params: dict) -> float:
    """The planner's estimate of the public matches (no rows read)."""
    plan = db.session.execute(text(f"EXPLAIN (FORMAT JSON) SELECT 1 {base}"), params).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"])


# Planner settings for this transaction only (``set_config(…, true)``).
_INDEX_ONLY = text("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)")
_ANY_SCAN = text("SELECT set_config('enable_seqscan', 'on', true), set_config('enable_indexscan', 'on', true)")


def _pg_count(terms: list[tuple[str, str]], base: str, params: dict) -> tuple[int, bool]:
    """The public matches up to ``MAX_RESULTS + 1``, and whether the last
    word was taken as a prefix (then ``params`` hold the prefix query)."""
    # Counted from the GIN index (a bitmap scan): for a common word the
    # planner otherwise reads rows in order until the LIMIT and builds the
    # tsvector of each (0.8 s for 1,001 of 50,000 items, against 19 ms).
    db.session.execute(_INDEX_ONLY)
    try:
        total = _count(base, params)
        prefix = len(terms[-1][0]) >= MIN_PREFIX and total < WHOLE_WORDS_ENOUGH
        if prefix:
            params["stems"], params["exact"] = pg_stem_query(terms, prefix=True)
            total = _count(base, params)
    finally:
        db.session.execute(_ANY_SCAN)
    return total, prefix


def _search_postgresql(terms: list[tuple[str, str]], public_sql: str, params: dict, offset: int, per_page: int):
    params["stems"], params["exact"] = pg_stem_query(terms)
    base = f"FROM post, to_tsquery('simple', :stems) query WHERE {PG_DOCUMENT} @@ query AND {public_sql}"
    skipped = _estimate(base, params) >= COUNT_SKIP_ESTIMATE
    if skipped:
        total, prefix = MAX_RESULTS + 1, False  # "more than 1,000", newest first, without a count
    else:
        total, prefix = _pg_count(terms, base, params)
    if not total:
        return [], 0
    ranking = (
        "post.published_at DESC"
        if total > MAX_RESULTS
        else f"ts_rank({PG_DOCUMENT}, query) + ts_rank({INDEX.pg_exact}, to_tsquery('simple', :exact)) DESC, "
        "post.published_at DESC"
    )
    ids = list(
        db.session.scalars(
            text(f"SELECT post.id {base} ORDER BY {ranking} LIMIT :limit OFFSET :offset"),
            {**params, "limit": per_page, "offset": offset},
        )
    )
    if skipped and len(ids) < per_page:
        # Fewer than a page where the estimate saw thousands (statistics
        # older than a mass unpublication): the total is what was found.
        total = offset + len(ids) if ids else _pg_count(terms, base, params)[0]
    if not ids:
        return [], total
    rows = db.session.execute(
        text(f"SELECT {_HIT_COLUMNS} FROM post WHERE post.id IN :ids").bindparams(bindparam("ids", expanding=True)),
        {"ids": ids},
    ).all()
    return _hits(ids, rows, terms, prefix), total


# Fewer matches than this and the page also asks "did you mean" (a typo
# usually finds nothing, sometimes a stray item that has the typo too).
FEW = 3


def suggestion(q: str, total: int) -> str | None:
    """The query with its misspelt words corrected, when it found little."""
    from cms.search_terms import suggest_word

    return suggest_word("post", q) if q and total < FEW else None


def title_condition(q: str) -> ColumnElement[bool]:
    """Staff lists: titles containing ``q``, or whose words or stems start
    with each of its words' ("perizinan" finds "Izin Usaha"), any status."""
    q = q[:100]
    terms = query_terms(q)
    contains = Post.title.contains(q)
    if not terms:
        return contains
    if db.engine.dialect.name == "sqlite":
        match = " AND ".join(f'(title_stems : "{root}"* OR title : "{word}"*)' for word, root in terms)
        found = (
            text("SELECT rowid FROM post_fts WHERE post_fts MATCH :title_match")
            .bindparams(title_match=match)
            .columns(column("rowid"))
        )
        return or_(contains, Post.id.in_(found))
    stems = pg_stem_query(terms, prefix=True, every_prefix=True)[0]
    return or_(contains, func.to_tsvector("simple", Post.title_stems).op("@@")(func.to_tsquery("simple", stems)))
