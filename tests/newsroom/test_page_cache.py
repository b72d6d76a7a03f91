"""Anonymous public pages are cached per content version, never stale."""

from __future__ import annotations

from cms.newsroom import publishing


def test_cached_home_is_fresh_after_every_change(app, client, make_post, users, count_queries):
    first = make_post("published", title="Rilis Pertama")
    client.get("/")
    with count_queries() as n:
        response = client.get("/")
    assert "Rilis Pertama" in response.get_data(as_text=True)
    assert n[0] == 0  # served from the cache (the counter is read with a bare cursor)
    make_post("published", title="Rilis Kedua")
    assert "Rilis Kedua" in client.get("/").get_data(as_text=True)
    publishing.unpublish(first, users["editor"])
    assert "Rilis Pertama" not in client.get("/").get_data(as_text=True)


def test_conditional_get_answers_304(app, client, make_post):
    post = make_post("published", title="Rilis Etag")
    url = publishing.public_url(post, external=False)
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_signed_in_staff_and_previews_bypass_the_cache(app, client, login, make_post, users):
    post = make_post("embargo", title="Rilis Embargo")
    url = publishing.public_url(post, external=False)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}?pratinjau={post.preview_token}").status_code == 404  # staff-only under embargo
    client.get("/")
    login(users["editor"])
    assert "EMBARGO" in client.get(f"{url}?pratinjau={post.preview_token}").get_data(as_text=True)
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)
