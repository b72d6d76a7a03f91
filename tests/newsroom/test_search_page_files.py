"""Search pages kept as files every worker reads (cms.cache.query_page_files):
a worker that never rendered a query (a fresh one after gunicorn recycled
it) answers it from the file another rendered, without running the search;
a change, an embargo lifting, a damaged file and the budget all behave."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import time_machine

from cms.cache import query_page_files
from cms.extensions import db
from tests.newsroom.test_search_cache import _titles


def _fresh_worker(app) -> None:
    """What a recycled worker starts with: nothing in memory."""
    app.extensions["cms_shared_cache"].clear()


def _folders(app) -> list[Path]:
    root = Path(app.config["CMS_QUERY_PAGES_DIR"]) / "cari"
    return sorted(p for p in root.iterdir() if not p.name.startswith(".")) if root.exists() else []


def test_a_fresh_worker_answers_a_search_another_rendered_without_flask(app, client, make_post, flask_runs):
    make_post("published", title="Banjir di Bekasi Surut")
    first = client.get("/cari?q=banjir")
    assert _titles(first.get_data(as_text=True)) == ["Banjir di Bekasi Surut"]
    (folder,) = _folders(app)
    assert len([f for f in folder.iterdir() if not f.name.startswith(".")]) == 1
    _fresh_worker(app)
    reached = len(flask_runs)
    again = client.get("/cari?q=++banjir&page=1")  # the same page, spelt differently
    assert len(flask_runs) == reached  # read from the file: no Flask, no search
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Content-Type"] == first.headers["Content-Type"]
    assert client.get("/cari?q=banjir", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_a_change_is_never_answered_from_an_older_file(app, client, make_post, flask_runs):
    make_post("published", title="Taman Kota Baru")
    client.get("/cari?q=taman")
    (old,) = _folders(app)
    make_post("published", title="Taman Rahasia Dibuka")  # the counter moves
    _fresh_worker(app)
    reached = len(flask_runs)
    found = _titles(client.get("/cari?q=taman").get_data(as_text=True))
    assert sorted(found) == ["Taman Kota Baru", "Taman Rahasia Dibuka"]
    assert len(flask_runs) == reached + 1  # rendered again
    assert _folders(app) != [old] and not old.exists()  # the first write of a version removes the others


def test_a_file_is_not_served_past_an_embargo_lifting(app, client, make_post, flask_runs):
    make_post("published", title="Pasar Murah Kecamatan")
    post = make_post("published", title="Pasar Malam Dibuka")
    with time_machine.travel(datetime(2030, 1, 1, 3, 0), tick=False):
        post.embargo_until = datetime(2030, 1, 1, 4, 0)
        db.session.commit()
        assert _titles(client.get("/cari?q=pasar").get_data(as_text=True)) == ["Pasar Murah Kecamatan"]
    with time_machine.travel(datetime(2030, 1, 1, 3, 59), tick=False):
        _fresh_worker(app)
        reached = len(flask_runs)
        assert _titles(client.get("/cari?q=pasar").get_data(as_text=True)) == ["Pasar Murah Kecamatan"]
        assert len(flask_runs) == reached  # from the file, still valid
    with time_machine.travel(datetime(2030, 1, 1, 4, 1), tick=False):
        _fresh_worker(app)
        found = _titles(client.get("/cari?q=pasar").get_data(as_text=True))
        assert sorted(found) == ["Pasar Malam Dibuka", "Pasar Murah Kecamatan"]


def test_a_damaged_file_is_a_miss_not_an_error(app, client, make_post, flask_runs):
    make_post("published", title="Vaksinasi Anak Sekolah")
    client.get("/cari?q=vaksinasi")
    (folder,) = _folders(app)
    (kept,) = folder.iterdir()
    kept.write_bytes(kept.read_bytes()[:-50])  # cut short
    _fresh_worker(app)
    reached = len(flask_runs)
    response = client.get("/cari?q=vaksinasi")
    assert response.status_code == 200
    assert _titles(response.get_data(as_text=True)) == ["Vaksinasi Anak Sekolah"]
    assert len(flask_runs) == reached + 1
    kept.write_bytes(b"not a page at all")
    _fresh_worker(app)
    assert _titles(client.get("/cari?q=vaksinasi").get_data(as_text=True)) == ["Vaksinasi Anak Sekolah"]


def test_the_budget_bounds_the_files_and_zero_keeps_memory_only(app, client, make_post):
    make_post("published", title="Jalan Rusak Diperbaiki")
    app.config["CMS_SEARCH_CACHE_FILES"] = 2  # read at call time
    for q in ("jalan", "rusak", "diperbaiki", "perbaikan"):
        assert client.get(f"/cari?q={q}").status_code == 200
    (folder,) = _folders(app)
    assert len([f for f in folder.iterdir() if not f.name.startswith(".")]) == 2
    app.config["CMS_SEARCH_CACHE_FILES"] = 0
    make_post("published", title="Jalan Baru")
    client.get("/cari?q=jalan")
    assert _folders(app) == [folder]  # nothing written for the new version


def test_signed_in_staff_never_get_or_leave_files(app, client, make_post, make_user, login, flask_runs):
    make_post("published", title="Rapat Koordinasi Humas")
    login(make_user("editor"))
    assert _titles(client.get("/cari?q=rapat").get_data(as_text=True)) == ["Rapat Koordinasi Humas"]
    assert _folders(app) == []


def test_a_restored_database_never_meets_the_folders_of_its_old_counter(tmp_path):
    """The folder names the counter and when it moved: the same counter
    reached again after a restore is another folder."""
    page = query_page_files.StoredPage(7, None, "public.search", "200 OK", [("Content-Type", "text/html")], b"x", {})
    base = ("http", "warta.test", "", "/cari", "q=a&page=1")
    before = query_page_files.folder_name(7, datetime(2026, 12, 1, 8, 0))
    after = query_page_files.folder_name(7, datetime(2026, 12, 7, 9, 30))
    assert query_page_files.write(tmp_path, before, page, base, 10)
    assert query_page_files.read(tmp_path, before, 7, base, {}) == page
    assert query_page_files.read(tmp_path, after, 7, base, {}) is None
    assert query_page_files.read(tmp_path, before, 8, base, {}) is None  # a file moved by hand


def test_a_deploy_never_meets_the_pages_of_the_release_before(app, client, make_post):
    """Files outlive the workers: the folder names the release (templates,
    code and settings, ``post_pages.epoch``) besides the content version."""
    from cms.cache import post_pages

    make_post("published", title="Banjir di Bekasi Surut")
    client.get("/cari?q=banjir")
    (folder,) = _folders(app)
    assert folder.name.endswith("-" + post_pages.epoch(app)[:16])
    page = query_page_files.StoredPage(7, None, "public.search", "200 OK", [], b"x", {})
    base = ("http", "warta.test", "", "/cari", "q=a&page=1")
    stamp = datetime(2026, 12, 1, 8, 0)
    before, after = (query_page_files.folder_name(7, stamp, release) for release in ("a" * 64, "b" * 64))
    root = Path(app.config["CMS_QUERY_PAGES_DIR"]) / "unit"
    assert query_page_files.write(root, before, page, base, 10)
    assert query_page_files.read(root, after, 7, base, {}) is None


def test_what_a_killed_worker_left_is_removed_and_odd_files_are_misses(tmp_path):
    left = tmp_path / ".old-k1ll3d" / "folder"
    left.mkdir(parents=True)
    (left / "page").write_bytes(b"x" * 1000)
    page = query_page_files.StoredPage(8, None, "public.search", "200 OK", [], b"body", {})
    base = ("http", "warta.test", "", "/cari", "q=a&page=1")
    version = query_page_files.folder_name(8, datetime(2026, 12, 7, 9, 0))
    assert query_page_files.write(tmp_path, version, page, base, 10)
    assert sorted(p.name for p in tmp_path.iterdir()) == [version]
    (kept,) = (tmp_path / version).iterdir()
    raw = kept.read_bytes()
    for damage in (b'"vary": {}', b'"counter": 8'):
        odd = {b'"vary": {}': b'"vary": []', b'"counter": 8': b'"counter": Infinity'}[damage]
        assert damage in raw
        kept.write_bytes(raw.replace(damage, odd))
        assert query_page_files.read(tmp_path, version, 8, base, {}) is None
