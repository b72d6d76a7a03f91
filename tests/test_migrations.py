"""Migrations: an empty database upgrades to heads, and models agree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.conftest import on_postgres

ROOT = Path(__file__).resolve().parent.parent


def flask(args, env):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_db(tmp_path):
    """A database with nothing in it: a SQLite file, or a fresh PostgreSQL schema."""
    if on_postgres():
        base = os.environ.get("TEST_DATABASE_URL") or os.environ["DATABASE_URL"]
        engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migtest CASCADE"))
            conn.execute(text("CREATE SCHEMA migtest"))
        sep = "&" if "?" in base else "?"
        yield base + f"{sep}options=-csearch_path%3Dmigtest"
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS migtest CASCADE"))
        engine.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'warta.db'}"


def test_upgrade_heads_from_empty_then_models_and_migrations_agree(empty_db, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": empty_db,
        "CMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "migration-test",
    }
    env.pop("TEST_DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    init = flask(["cms", "init"], env)
    assert init.returncode == 0, init.stderr
    check = flask(["db", "check"], env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    heads = flask(["db", "heads"], env)
    labels = heads.stdout
    assert "(cms)" in labels or "cms" in labels
    engine = create_engine(empty_db.replace("postgresql://", "postgresql+psycopg://", 1))
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"user_account", "unit", "audit_log", "alembic_version"} <= tables


def test_one_head_per_branch(app):
    from alembic.script import ScriptDirectory

    from cms.lazy_migrate import migrate

    config = migrate().get_config()
    script = ScriptDirectory.from_config(config)
    heads = script.get_revisions("heads")
    # labels declared on a branch's base (Alembic copies them onto descendants)
    labels = {label for rev in script.walk_revisions() for label in (rev._orig_branch_labels or ())}
    assert "cms" in labels
    for label in labels:  # each branch resolves to exactly one head
        assert len(script.get_revisions(f"{label}@head")) == 1
    assert heads


def test_revision_ids_fit_alembic_version():
    """``alembic_version.version_num`` is VARCHAR(32): PostgreSQL refuses a
    longer id when it upgrades (SQLite does not check the length)."""
    import re

    folders = [ROOT / "migrations" / "versions", *(ROOT / "plugins").glob("*/migrations")]
    ids = {
        path.name: match.group(1)
        for folder in folders
        for path in folder.glob("*.py")
        if (match := re.search(r'^revision = "([^"]+)"', path.read_text(), re.M))
    }
    assert len(ids) > 20
    assert {name: rev for name, rev in ids.items() if len(rev) > 32} == {}


def test_search_vector_migrations_go_down_and_up(empty_db, tmp_path):
    """0018_post_search_vector / dip 0004: PostgreSQL gets the stored vector
    and its index in place of the expression index, and back; SQLite keeps FTS5."""
    env = {**os.environ, "DATABASE_URL": empty_db, "CMS_INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "m"}
    env.pop("TEST_DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    engine = create_engine(empty_db.replace("postgresql://", "postgresql+psycopg://", 1))

    def state() -> set[str]:
        found = set()
        inspector = inspect(engine)
        for table in ("post", "dip_entry"):
            found |= {f"{table}.{c['name']}" for c in inspector.get_columns(table) if c["name"].endswith("_vector")}
            found |= {i["name"] for i in inspector.get_indexes(table) if i["name"].endswith(("_fulltext", "_vector"))}
        found |= {t for t in inspector.get_table_names() if t.endswith("_fts")}
        return found

    up = flask(["db", "upgrade", "heads"], env)
    assert up.returncode == 0, up.stderr
    vectors = {
        "post.search_vector",
        "post.title_vector",
        "dip_entry.search_vector",
        "ix_post_search_vector",
        "ix_dip_entry_search_vector",
    }
    fts = {"post_fts", "dip_entry_fts"}
    assert state() == (vectors if on_postgres() else fts)
    for revision in ("0018_post_search_vector", "0004_dip_search_vector"):
        down = flask(["db", "downgrade", f"{revision}-1"], env)
        assert down.returncode == 0, down.stderr
    assert state() == ({"ix_post_fulltext", "ix_dip_entry_fulltext"} if on_postgres() else fts)
    up = flask(["db", "upgrade", "heads"], env)
    assert up.returncode == 0, up.stderr
    assert state() == (vectors if on_postgres() else fts)
    engine.dispose()
