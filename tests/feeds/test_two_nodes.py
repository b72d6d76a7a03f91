"""Two application nodes on one database: how soon a change made on one is
served by the other (bench/scale/two_nodes.py measures it with real servers;
docs/deploy.md promises a second).  The apps here share one database as two
nodes share PostgreSQL."""

from __future__ import annotations

import queue
import random
import threading
from datetime import timedelta

import pytest
import time_machine

from bench.scale import coherence
from bench.scale.coherence import State
from cms import content_version
from cms.cache import page_files
from cms.extensions import db
from cms.models import Post
from cms.newsroom import drafts, posts, publishing
from cms.testing.users import make_user
from tests.conftest import new_post, on_postgres
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


def test_the_coherence_check_tells_an_old_title_from_the_start_of_a_new_one():
    """The stale home pages and feeds bench/scale/two_nodes.py counted from
    a minute into its runs (the hundredth edit) were the checker's: an old
    title "... r11" is the start of the current "... r112"."""
    item = coherence.Item(995, "/berita/x", "x", [State("Koherensi 995 r11", True, 0.0, 10.0)])
    item.states.append(State("Koherensi 995 r112", True, 9.0))
    current, old = "<title>Koherensi 995 r112</title>", "<title>Koherensi 995 r11</title>"
    for kind in ("home", "rss"):
        assert coherence.judge(item, kind, 200, current, 20.0, 20.1, 1.0) is None
        assert (
            coherence.judge(item, kind, 200, old, 20.0, 20.1, 1.0) == f"{kind} still shows the old title {old[7:-8]!r}"
        )
    assert coherence.judge(item, "item", 200, current, 20.0, 20.1, 1.0) is None
    assert coherence.judge(item, "item", 200, old, 20.0, 20.1, 1.0).startswith("item answered 200")
    only = coherence.Item(7, "/berita/y", "y", [State("Koherensi 7 r1", True, 0.0)])  # the feed lacks it
    assert coherence.judge(only, "rss", 200, "<title>Koherensi 7 r12</title>", 5.0, 5.1, 1.0).startswith("rss lacks")


def _shows(title: str, body: str) -> bool:
    return coherence.shows_title(title, body)


def test_edits_on_one_node_are_served_by_both_after_interleaved_reads(make_app, tmp_path):
    """The coherence check of bench/scale/coherence.py without servers: two
    apps (each its own worker memory, feed store and counter copy) on one
    database; retitles, unpublications and republications through node A,
    every read of the home page, the RSS feed and the item page on both
    nodes right after each change must show exactly the database's state."""
    shared = {
        "SITE_URL": "https://warta.test",
        "CMS_CACHE_PREFIX": f"two-nodes-{tmp_path.name}",  # one Redis key space, as two nodes share
        "FEEDS_VERSION_TTL": 0,  # the copy's quarter second is the test above
        **({} if on_postgres() else {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'nodes.db'}"}),
    }
    node_a = make_app(**shared)
    node_b = make_app(**shared)
    clients = {"A": node_a.test_client(), "B": node_b.test_client()}
    rng = random.Random(24)
    with node_a.app_context():
        writer, editor = make_user("writer"), make_user("editor")
        hot = {}
        for n in range(4):
            post = new_post("published", via=(writer, editor), title=f"Koherensi {n} r0")
            hot[post.id] = {"title": post.title, "public": True, "path": publishing.public_path(post)}

        def read_all(when: str) -> None:
            for name, client in clients.items():
                pages = {path: client.get(path) for path in ("/", "/feeds/rss.xml")}
                for post_id, state in hot.items():
                    item = client.get(state["path"])
                    where = f"node {name} {when}, post {post_id} {state}"
                    if state["public"]:
                        assert item.status_code == 200 and _shows(state["title"], item.text), where
                        assert _shows(state["title"], pages["/feeds/rss.xml"].text), where
                    else:
                        assert item.status_code == 404, where
                    for path, page in pages.items():
                        assert page.status_code == 200, where
                        for old in state.get("gone", ()):
                            assert not _shows(old, page.text), f"{path} shows {old!r}: {where}"
                        if not state["public"]:
                            assert not _shows(state["title"], page.text), f"{path} lists it: {where}"

        read_all("before the first change")
        for number in range(1, 25):
            post_id = rng.choice(list(hot))
            state = hot[post_id]
            post = db.session.get(Post, post_id)
            if state["public"] and rng.random() < 0.3:
                publishing.unpublish(post, editor)
                state["public"] = False
            elif not state["public"]:
                publishing.publish_now(post, editor)
                state["public"] = True
            else:
                title = f"Koherensi {list(hot).index(post_id)} r{number}"
                data = posts.data_from_snapshot(posts.snapshot(post), post)
                data.title = title
                drafts.save_post(post, editor, data, post.version)
                state.setdefault("gone", []).append(state["title"])
                state["title"] = title
            db.session.expire_all()
            read_all(f"after change {number}")
