"""The one "is this post public" rule: the SQL condition, its raw SQL text
and the Python check give the same answer for every status and embargo."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, bindparam, select, text

from cms.extensions import db
from cms.models import Post
from cms.models.content import POST_STATUSES
from cms.newsroom import publishing

AT = datetime(2024, 3, 7, 3, 0, 0)
EMBARGOES = {"none": None, "lifted": AT - timedelta(hours=1), "at": AT, "ahead": AT + timedelta(hours=1)}


def test_sql_condition_raw_sql_and_python_check_agree(app):
    posts = {}
    for status in POST_STATUSES:
        for name, embargo in EMBARGOES.items():
            post = Post(
                kind="berita", title=f"{status} {name}", slug=f"{status}-{name}", status=status, embargo_until=embargo
            )
            db.session.add(post)
            posts[(status, name)] = post
    db.session.commit()

    by_condition = set(db.session.scalars(select(Post.id).where(publishing.public_condition(AT))))
    sql, params = publishing.public_filter(AT)
    # Typed as the column is, as the raw callers format it (search._sqlite).
    raw = text(f"SELECT post.id FROM post WHERE {sql}").bindparams(bindparam("now", type_=DateTime))
    by_text = set(db.session.scalars(raw, params))
    by_python = {post.id for post in posts.values() if publishing.is_public(post, AT)}

    expected = {posts[("published", name)].id for name in ("none", "lifted", "at")}
    assert by_condition == by_text == by_python == expected


def test_is_public_takes_the_moment_to_judge_at(app):
    post = Post(kind="berita", title="Rilis", slug="rilis", status="published", embargo_until=AT)
    assert not publishing.is_public(post, AT - timedelta(seconds=1))
    assert publishing.is_public(post, AT)
    assert publishing.is_embargoed(post, AT - timedelta(seconds=1)) and not publishing.is_embargoed(post, AT)
