"""``cms.cache.page_files``: the home page and site feeds written to files for nginx
(the nginx side is in tests/test_deploy_nginx.py)."""

from __future__ import annotations

import gzip
import os
import queue
import threading
from datetime import timedelta

import pytest
from werkzeug.http import parse_date

from cms.cache import page_files
from cms.timeutil import naive_utc
from tests.conftest import on_postgres

FEEDS = ("/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json")


@pytest.fixture
def feeds_app(make_app, tmp_path):
    """As in conftest, on a database the writer's thread can open too."""
    config = {} if on_postgres() else {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'pages.db'}"}
    app = make_app(SITE_URL="https://warta.test", **config)
    with app.app_context():
        yield app


@pytest.fixture
def pages_dir(tmp_path):
    directory = tmp_path / "pages"
    directory.mkdir()
    return directory


@pytest.fixture
def fixed_pages_only(feeds_app, monkeypatch):
    """The home page and feeds alone: no lists, no item pages."""
    monkeypatch.setattr(page_files, "LISTS", {})
    feeds_app.config["CMS_PAGE_FILES_ITEMS"] = 0


def _as_reader(client, path):
    return client.get(path, headers={"Accept": "*/*"})


def _every_page(*items: str) -> list[str]:
    return sorted([*page_files.PAGES, *page_files.LISTS, *items])


def test_each_page_is_written_as_the_app_serves_it(feeds_app, fclient, make_post, pages_dir):
    post = make_post(title="Pemkot Buka Pendaftaran Beasiswa")
    item = f"/{post.kind}/{post.slug}"
    result = page_files.write_pages(feeds_app, pages_dir)
    assert sorted(result.written) == _every_page(item) and result.removed == []
    pages = {**page_files.PAGES, f"/{post.kind}/": page_files.LISTS[f"/{post.kind}/"], item: page_files.item_file(item)}
    for path, name in pages.items():
        served = _as_reader(fclient, path)
        on_disk = (pages_dir / name).read_bytes()
        assert on_disk == served.get_data(), path
        assert gzip.decompress((pages_dir / (name + ".gz")).read_bytes()) == on_disk
        assert "Pemkot Buka Pendaftaran Beasiswa" in on_disk.decode()
        if path in FEEDS:  # nginx derives Last-Modified (and its ETag) from the file time
            stamp = parse_date(served.headers["Last-Modified"]).timestamp()
            assert os.stat(pages_dir / name).st_mtime == stamp
            assert os.stat(pages_dir / (name + ".gz")).st_mtime == stamp
    assert not [p for p in pages_dir.rglob(".tmp-*")]  # no half-written files


def test_a_change_is_written_by_the_next_pass(feeds_app, make_post, pages_dir):
    make_post(title="Rilis Lama")
    first = page_files.write_pages(feeds_app, pages_dir)
    make_post(title="Rilis Baru Hari Ini")
    second = page_files.write_pages(feeds_app, pages_dir)
    assert second.counter > first.counter
    for name in page_files.PAGES.values():
        assert "Rilis Baru Hari Ini" in (pages_dir / name).read_text(), name


def test_feeds_with_an_embargo_due_are_left_to_warta(feeds_app, make_post, pages_dir, fixed_pages_only):
    """A feed whose content changes by time alone is not the same for good:
    its file goes, so nginx asks Warta, and it is tried again later."""
    make_post(title="Rilis Terbuka")
    page_files.write_pages(feeds_app, pages_dir)
    make_post(title="Rilis Embargo", embargo_until=naive_utc() + timedelta(hours=3))
    result = page_files.write_pages(feeds_app, pages_dir)
    assert sorted(result.removed) == sorted(FEEDS) and result.written == ["/"]
    for path in FEEDS:
        name = page_files.PAGES[path]
        assert not (pages_dir / name).exists() and not (pages_dir / (name + ".gz")).exists()
    assert result.due is not None
    assert "Rilis Embargo" not in (pages_dir / "index.html").read_text()


def test_feeds_with_websub_link_headers_are_left_to_warta(feeds_app, make_post, pages_dir, fixed_pages_only):
    """nginx cannot send a file with Warta's ``Link: rel="hub"``: subscribers
    must still find the hub, so those feeds come from Warta."""
    feeds_app.config["FEEDS_WEBSUB_HUB"] = "https://hub.warta.test/"
    make_post(title="Rilis Dengan Hub")
    result = page_files.write_pages(feeds_app, pages_dir)
    assert result.written == ["/"] and result.due is not None
    assert sorted(p.name for p in pages_dir.iterdir()) == ["index.html", "index.html.gz"]
    feeds_app.config["FEEDS_WEBSUB_HUB"] = None  # read again when the next change is rendered
    make_post(title="Rilis Tanpa Hub")
    assert sorted(page_files.write_pages(feeds_app, pages_dir).written) == sorted(page_files.PAGES)


def test_responses_the_shared_cache_answers_are_written_too(feeds_app, make_post, pages_dir):
    """With the in-process shared cache on (as in gunicorn), a second pass
    over unchanged content is answered from it and still counts as shared."""
    assert feeds_app.config.get("CMS_SHARED_CACHE", True)
    post = make_post(title="Rilis Dua Kali")
    page_files.write_pages(feeds_app, pages_dir)
    again = page_files.write_pages(feeds_app, pages_dir)
    assert sorted(again.written) == _every_page(f"/{post.kind}/{post.slug}") and again.removed == []


def test_a_page_that_cannot_be_served_leaves_no_file(feeds_app, pages_dir, monkeypatch):
    monkeypatch.setattr(page_files, "PAGES", {"/feeds/kategori/tidak-ada/rss.xml": "gone.rss"})
    monkeypatch.setattr(page_files, "LISTS", {})
    (pages_dir / "gone.rss").write_text("old")
    (pages_dir / "gone.rss.gz").write_bytes(gzip.compress(b"old"))
    result = page_files.write_pages(feeds_app, pages_dir)
    assert result.removed == ["/feeds/kategori/tidak-ada/rss.xml"] and result.due is not None
    assert list(pages_dir.iterdir()) == []


def test_watch_rewrites_on_every_change_and_clears_on_stop(feeds_app, make_post, pages_dir):
    directory = pages_dir
    (directory / "index.html").write_text("left by a writer that crashed")
    passes: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(
        target=page_files.watch,
        args=(feeds_app, directory),
        kwargs={"interval": 0.02, "stop": stop, "report": passes.put},
    )
    thread.start()
    try:
        first = passes.get(timeout=30)
        assert "left by a writer" not in (directory / "index.html").read_text()
        make_post(title="Terbit Saat Penulis Berjalan")
        while True:  # each pass is reported; wait for the one after the change
            later = passes.get(timeout=30)
            if later.counter != first.counter:
                break
        assert "Terbit Saat Penulis Berjalan" in (directory / "feeds-rss.rss").read_text()
        assert "Terbit Saat Penulis Berjalan" in (directory / "index.html").read_text()
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert list(directory.iterdir()) == []  # nginx falls back to Warta


def test_cli_clear_removes_the_files_and_bad_options_are_refused(feeds_app, pages_dir):
    page_files.write_pages(feeds_app, pages_dir)
    assert (pages_dir / "index.html").exists()
    runner = feeds_app.test_cli_runner()
    done = runner.invoke(args=["cms", "page-files", str(pages_dir), "--clear"])
    assert done.exit_code == 0 and "removed" in done.output
    assert list(pages_dir.iterdir()) == []
    refused = runner.invoke(args=["cms", "page-files", str(pages_dir), "--interval", "0"])
    assert refused.exit_code == 2 and "--interval" in refused.output


def test_the_newest_public_items_and_the_lists_are_written_and_no_other_item(feeds_app, make_post, pages_dir):
    feeds_app.config["CMS_PAGE_FILES_ITEMS"] = 2
    now = naive_utc().replace(microsecond=0)
    oldest = make_post(title="Berita Paling Lama", kind="berita", published_at=now - timedelta(hours=3))
    newer = [
        make_post(title=f"Berita Baru {n}", kind="berita", published_at=now - timedelta(hours=2 - n)) for n in range(2)
    ]
    hidden = [
        make_post(status="draft", title="Draf Belum Terbit", kind="berita"),
        make_post(title="Rilis Masih Embargo", embargo_until=naive_utc() + timedelta(hours=3)),
    ]
    result = page_files.write_pages(feeds_app, pages_dir)
    items = sorted(p for p in result.written if p not in page_files.PAGES and p not in page_files.LISTS)
    assert items == sorted(f"/berita/{p.slug}" for p in newer)
    for post in newer:
        assert post.title in (pages_dir / page_files.item_file(f"/berita/{post.slug}")).read_text()
    for post in [oldest, *hidden]:
        assert not (pages_dir / f"items/{post.kind}/{post.slug}.html").exists()
    assert "Berita Baru 1" in (pages_dir / "lists/berita.html").read_text()
    assert "Rilis Masih Embargo" not in (pages_dir / "lists/siaran-pers.html").read_text()
    feeds_app.config["CMS_PAGE_FILES_ITEMS"] = 0
    make_post(title="Berita Tanpa Berkas", kind="berita")
    page_files.clear(pages_dir)
    assert not (pages_dir / "items").exists() and not (pages_dir / "lists").exists()
    assert not [p for p in page_files.write_pages(feeds_app, pages_dir).written if page_files.item_file(p)]


def test_an_item_pass_stops_when_the_counter_moves(feeds_app, make_post, pages_dir, monkeypatch):
    """A change while the items render: what is left waits for the next pass,
    which starts from nothing; no page rendered after the change is written."""
    for n in range(3):
        make_post(title=f"Siaran Pers Berkas {n}")
    real_get, items = page_files._get, []

    def get_then_change(app, path):
        answer = real_get(app, path)
        if page_files.item_file(path):
            items.append(path)
            make_post(title=f"Perubahan Di Tengah Jalan {len(items)}")
        return answer

    monkeypatch.setattr(page_files, "_get", get_then_change)
    result = page_files.write_pages(feeds_app, pages_dir)
    assert len(items) == 1  # nothing was rendered after the change
    assert not [p for p in result.written if page_files.item_file(p)]
    assert not list(pages_dir.rglob("items/*/*.html"))


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/berita/pemkot-buka-pendaftaran-2", "items/berita/pemkot-buka-pendaftaran-2.html"),
        ("/siaran-pers/rilis", "items/siaran-pers/rilis.html"),
        ("/berita/../../etc/passwd", None),
        ("/berita/Huruf-Besar", None),
        ("/berita/-awal-strip", None),
        ("/halaman/rilis", None),
        ("/berita/", None),
        ("/", None),
        ("/berita/" + "a" * 201, None),
    ],
)
def test_only_slugs_of_known_kinds_become_file_names(path, name):
    assert page_files.item_file(path) == name
