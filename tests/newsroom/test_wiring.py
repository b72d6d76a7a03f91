"""The newsroom's hook wiring: worker sweep, navigation, dashboard panel."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from cms import jobs


def test_worker_sweeps_every_minute(app, make_post, recorder):
    tasks = {t.name: t for t in jobs.periodic_tasks(app)}
    sweep = tasks["newsroom.publish_due"]
    assert sweep.schedule == {"minute": "*"}
    post = make_post("scheduled")
    with time_machine.travel(post.publish_at + timedelta(minutes=1), tick=False):
        assert sweep.func() == 1
    assert recorder.names(post.id) == ["published"]


def test_navigation_and_dashboard(app, client, login, users, make_post):
    make_post("review", title="Menunggu Persetujuan")
    public = client.get("/").get_data(as_text=True)
    assert 'href="/siaran-pers/"' in public and 'href="/berita/"' in public and 'href="/cari"' in public
    login(users["editor"])
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/posts"' in dashboard and 'href="/admin/media"' in dashboard
    assert "Menunggu tinjauan Anda" in dashboard and "Menunggu Persetujuan" in dashboard
    login(users["ppid"])
    assert 'href="/admin/posts"' not in client.get("/admin/").get_data(as_text=True)


def test_editor_page_ships_vendored_editor_without_cdn(app, client, login, users):
    login(users["writer"])
    html = client.get("/admin/posts/new").get_data(as_text=True)
    assert "/static/editor/quill/quill.js" in html and "/static/editor/editor.js" in html
    assert "cdn" not in html.lower() and "style=" not in html
    assert client.get("/static/editor/quill/quill.js").status_code == 200
    assert "BSD" in client.get("/static/editor/quill/LICENSE").get_data(as_text=True) or "Redistribution" in client.get(
        "/static/editor/quill/LICENSE"
    ).get_data(as_text=True)
