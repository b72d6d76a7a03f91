"""``/api/v1/posts``: the public newsroom as JSON, never ahead of the site
(no draft, scheduled or embargoed item), with errors naming the parameter."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from tests.feeds.conftest import NOW


def _titles(client, query: str = "") -> list[str]:
    answer = client.get(f"/api/v1/posts{query}")
    assert answer.status_code == 200, answer.text
    return [item["judul"] for item in answer.get_json()["items"]]


def test_lists_what_the_public_may_see_newest_first(fclient, make_post, make_unit):
    unit = make_unit()
    release = make_post("Rilis vaksinasi", categories=["Kesehatan"], unit=unit, image=2048)
    make_post("Berita pasar", kind="berita")
    make_post("Draf rahasia", status="draft")
    make_post("Terjadwal", status="scheduled")
    embargoed = make_post("Rilis di bawah embargo", embargo_until=NOW + timedelta(hours=2))
    with time_machine.travel(NOW, tick=False):
        assert _titles(fclient) == ["Rilis vaksinasi", "Berita pasar"]
        assert _titles(fclient, "?jenis=berita") == ["Berita pasar"]
        assert _titles(fclient, "?kategori=kesehatan") == ["Rilis vaksinasi"]
        assert fclient.get(f"/api/v1/posts/{embargoed.id}").status_code == 404
        item = fclient.get(f"/api/v1/posts/{release.id}").get_json()
    assert item["judul"] == "Rilis vaksinasi" and item["jenis"] == "siaran-pers"
    assert item["url"] == f"https://warta.test/siaran-pers/{release.slug}"
    assert item["unit"] == {"id": unit.id, "nama": "Dinas Kesehatan"}
    assert item["kategori"] == [{"nama": "Kesehatan", "slug": "kesehatan"}]
    assert (
        item["gambar"]["url"].startswith("https://warta.test/media/")
        and item["gambar"]["keterangan"] == "Foto kegiatan"
    )
    assert item["isi_html"] == "<p>Isi naskah.</p>" and item["terbit"].endswith("Z")
    # The embargo lifts by time alone: the item appears, as on the site.
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        assert "Rilis di bawah embargo" in _titles(fclient)
        assert fclient.get(f"/api/v1/posts/{embargoed.id}").status_code == 200


def test_pages_link_to_each_other(fclient, make_post):
    for n in range(5):
        make_post(f"Rilis {n}")
    with time_machine.travel(NOW, tick=False):
        first = fclient.get("/api/v1/posts?per_page=2").get_json()
        assert (first["total"], first["pages"], first["prev"]) == (5, 3, None)
        second = fclient.get(first["next"]).get_json()
    assert [i["judul"] for i in second["items"]] == ["Rilis 2", "Rilis 3"]
    assert "per_page=2" in second["prev"]


def test_bad_parameters_are_a_400_naming_them(fclient):
    for query, name in (
        ("?jenis=opini", "jenis"),
        ("?page=0", "page"),
        ("?per_page=101", "per_page"),
        ("?page=x", "page"),
    ):
        answer = fclient.get(f"/api/v1/posts{query}")
        assert answer.status_code == 400 and f"'{name}'" in answer.get_json()["error"]
    assert fclient.get("/api/v1/posts/99999999999").status_code == 404


def test_the_api_root_and_document_list_the_posts(fclient):
    root = fclient.get("/api/v1/").get_json()
    assert root["openapi"].endswith("/api/v1/openapi.json") and any(
        u.endswith("/api/v1/posts") for u in root["koleksi"]
    )
    paths = fclient.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/posts", "/api/v1/posts/{post_id}"} <= set(paths)
