"""Two application nodes on one database: how soon a change made on one is
served by the other (bench/scale/two_nodes.py measures it with real servers;
docs/deploy.md promises a second).  The apps here share one database as two
nodes share PostgreSQL."""

from __future__ import annotations

import queue
import threading
from datetime import timedelta

import pytest
import time_machine

from cms import content_version
from cms.cache import page_files
from cms.extensions import db
from tests.conftest import on_postgres
from tests.feeds.conftest import NOW


@pytest.fixture
def feeds_app(make_app, tmp_path):
    """As in conftest, on a database the writer's thread can open too."""
    config = {} if on_postgres() else {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'nodes.db'}"}
    app = make_app(SITE_URL="https://warta.test", **config)
    with app.app_context():
        yield app


def test_a_change_on_another_node_is_seen_within_a_quarter_second(make_app, tmp_path):
    """A worker's copy of the counter is the bound on how late another node
    shows a change; a second of it, plus a render and nginx, broke the promise."""
    shared = {} if on_postgres() else {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'two.db'}"}
    # SQLite reads the counter every time; node B gets the database server's default.
    server_default = {} if on_postgres() else {"FEEDS_VERSION_TTL": content_version.SERVER_VERSION_TTL}
    node_b = make_app(**shared, **server_default)
    node_a = make_app(**shared)
    with node_a.app_context():
        content_version.content_changed()
    with time_machine.travel(NOW, tick=False), node_b.app_context():
        seen = content_version.current_version().counter
    with node_a.app_context(), db.engine.begin() as conn:  # node A's commit: B's copy is not reset
        content_version.content_changed(conn)
    with time_machine.travel(NOW + timedelta(seconds=0.1), tick=False), node_b.app_context():
        assert content_version.current_version().counter == seen  # the copy still saves the read
    with time_machine.travel(NOW + timedelta(seconds=0.3), tick=False), node_b.app_context():
        assert content_version.current_version().counter == seen + 1


def test_a_page_rendered_while_the_content_changed_is_not_written(feeds_app, make_post, monkeypatch, tmp_path):
    """Written anyway, it would stay on nginx's disk until the next pass."""
    pages_dir = tmp_path / "pages"
    make_post(title="Rilis Sebelum")
    page_files.write_pages(feeds_app, pages_dir)
    render = page_files._get
    edited: list[str] = []

    def render_while_a_node_edits(app, path):
        response = render(app, path)
        if not edited:  # another node publishes while the home page renders
            edited.append(path)
            make_post(title="Rilis Saat Merender")
        return response

    monkeypatch.setattr(page_files, "_get", render_while_a_node_edits)
    result = page_files.write_pages(feeds_app, pages_dir)
    assert edited == ["/"] and "/" in result.removed and "/" not in result.written
    assert not (pages_dir / "index.html").exists() and not (pages_dir / "index.html.gz").exists()
    for name in ("feeds-rss.rss", "feeds-atom.atom"):  # rendered after the change: written with it
        assert "Rilis Saat Merender" in (pages_dir / name).read_text()
    monkeypatch.undo()
    page_files.write_pages(feeds_app, pages_dir)
    assert "Rilis Saat Merender" in (pages_dir / "index.html").read_text()


def test_the_writer_removes_its_files_as_soon_as_the_content_changes(feeds_app, make_post, monkeypatch, tmp_path):
    """Between noticing a change and rewriting, nginx must ask Warta, not
    serve the old files: the writer may take seconds to render under load."""
    pages_dir = tmp_path / "pages"
    make_post(title="Rilis Pertama")
    passes: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(
        target=page_files.watch,
        args=(feeds_app, pages_dir),
        kwargs={"interval": 0.02, "stop": stop, "report": passes.put},
    )
    thread.start()
    try:
        first = passes.get(timeout=30)
        assert "Rilis Pertama" in (pages_dir / "index.html").read_text()
        render = page_files._get
        on_disk_while_rendering: dict[str, bool] = {}

        def render_and_look(app, path):
            on_disk_while_rendering.setdefault(path, (pages_dir / page_files.PAGES[path]).exists())
            return render(app, path)

        monkeypatch.setattr(page_files, "_get", render_and_look)
        make_post(title="Rilis Kedua")
        while passes.get(timeout=30).counter == first.counter:
            pass
        assert on_disk_while_rendering == dict.fromkeys(page_files.PAGES, False)
        assert "Rilis Kedua" in (pages_dir / "index.html").read_text()
    finally:
        stop.set()
        thread.join(timeout=30)
