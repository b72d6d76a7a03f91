"""Disabling a plugin keeps its data and its migration history; ``flask cms
plugin remove`` is the separate step that drops them.  Real ``flask cms init``
runs on one SQLite file, the plugin set changing between them."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from cms import create_app
from cms.extensions import db
from tests.conftest import base_config

ALL = ["inbox", "dip", "crosspost", "monev"]


@pytest.fixture
def site(tmp_path):
    """``site(plugins)`` → a CLI runner for an app on the same database file."""
    url = f"sqlite:///{tmp_path / 'warta.db'}"
    apps = []

    def _site(plugins):
        app = create_app(base_config(tmp_path, SQLALCHEMY_DATABASE_URI=url, CMS_PLUGINS=list(plugins)))
        apps.append(app)
        runner = app.test_cli_runner()

        def run(*args, input=None):
            return runner.invoke(args=list(args), input=input)

        return run

    _site.url = url
    yield _site
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _tables(url) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _versions(url) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()


def _ok(result):
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def _dip_version(url) -> bool:
    return any("_dip" in v for v in _versions(url))


def _dip_tables(url) -> set[str]:
    return {t for t in _tables(url) if t.startswith("dip_")}


def test_disable_keeps_data_remove_drops_it_enable_recreates(site, tmp_path):
    _ok(site(ALL)("cms", "init"))
    dip_tables = _dip_tables(site.url)
    assert {"dip_entry", "dip_dik"} <= dip_tables
    assert _dip_version(site.url)
    engine = create_engine(site.url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO dip_decree (year, number, signed_on, place, official_name, "
                "official_title, official_nip) VALUES (2026, 'SK-1/DIP', '2026-01-05', 'Bekasi', "
                "'', '', '')"
            )
        )
    engine.dispose()
    owned = tmp_path / "private" / "dip" / "documents"
    owned.mkdir(parents=True)
    (owned / "lampiran.bin").write_bytes(b"x")

    disabled = site(["inbox", "crosspost"])
    _ok(disabled("cms", "init"))  # failed with "Can't locate revision" before
    assert _dip_tables(site.url) == dip_tables
    assert _dip_version(site.url)
    engine = create_engine(site.url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT number FROM dip_decree")) == "SK-1/DIP"
    engine.dispose()
    assert (owned / "lampiran.bin").exists()

    _ok(disabled("cms", "plugin", "remove", "dip", "--yes"))
    assert _dip_tables(site.url) == set()
    assert not _dip_version(site.url)
    assert not (tmp_path / "private" / "dip").exists()
    assert "inbox_request" in _tables(site.url)  # the others untouched
    _ok(disabled("cms", "init"))

    _ok(site(ALL)("cms", "init"))
    assert _dip_tables(site.url) == dip_tables
    assert _dip_version(site.url)


def test_init_with_plugin_disabled_from_the_start_skips_its_tables(site):
    _ok(site(["inbox"])("cms", "init"))
    tables = _tables(site.url)
    assert "inbox_request" in tables and not _dip_tables(site.url)
    assert not any(t.startswith("crosspost_") for t in tables)


def test_remove_asks_first_and_keeps_everything_on_no(site):
    _ok(site(ALL)("cms", "init"))
    disabled = site(["inbox", "crosspost"])
    answer = disabled("cms", "plugin", "remove", "dip", input="n\n")
    assert answer.exit_code != 0
    assert "dip_entry" in answer.output  # the prompt names what would go
    assert "dip_entry" in _tables(site.url)


@pytest.mark.parametrize(
    "name, reason",
    [
        ("dip", "still enabled"),
        ("tidak-ada", "not installed"),
        ("cms", "part of core"),
        ("cms.core_hooks", "part of core"),
    ],
)
def test_remove_refuses(site, name, reason):
    run = site(ALL)
    _ok(run("cms", "init"))
    result = run("cms", "plugin", "remove", name, "--yes")
    assert result.exit_code == 1
    assert reason in result.output
    assert "Traceback" not in result.output
    assert "dip_entry" in _tables(site.url)


def test_init_names_a_revision_no_installed_plugin_provides(site):
    _ok(site(["inbox"])("cms", "init"))
    engine = create_engine(site.url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001_uninstalled')"))
    engine.dispose()
    result = site(["inbox"])("cms", "init")
    assert result.exit_code == 1
    assert "'0001_uninstalled', which no installed plugin provides" in result.output
    assert "flask cms plugin remove" in result.output
