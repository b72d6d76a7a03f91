"""Search understands Indonesian (stems on both databases), suggests a word
for a typo, and answers hostile queries with a normal page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from cms.extensions import db
from cms.search_terms import distance, rebuild_vocabularies
from cms.stemming import stem


def _page(client, q, **args):
    return client.get("/cari", query_string={"q": q, **args})


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="post-title"><a href="[^"]+">([^<]+)</a>', html)


PAIRS = [
    ("pemerintahan", "Pemerintah Kota Menambah Taman", "pemerintah"),
    ("perizinan", "Layanan Izin Usaha Dipercepat", "izin"),
    ("penanaman", "Warga Tanam Seribu Pohon", "tanam"),
    ("perekaman", "Rekam KTP Elektronik di Kecamatan", "rekam"),
    ("penolakan", "Warga Tolak Tumpukan Sampah", "tolak"),
    ("kepegawaian", "Pegawai Baru Dilantik", "pegawai"),
]


def test_the_stemmer_finds_the_roots_snowball_misses():
    for affixed, _, root in PAIRS:
        assert stem(affixed) == stem(root) != affixed
    assert stem("Anak") == "anak" and stem("PBB") == "pbb" and stem("2024") == "2024"


@pytest.mark.parametrize(("query", "title", "root"), PAIRS)
def test_an_affixed_word_finds_its_root_and_the_root_the_affixed_word(app, client, make_post, query, title, root):
    make_post("published", title=title, body=f"<p>{title} hari ini.</p>")
    make_post("published", title="Kabar Lain", body="<p>Tidak ada hubungannya.</p>")
    html = _page(client, query).get_data(as_text=True)
    assert _titles(html) == [title]
    assert f"<mark>{root.capitalize()}</mark>" in html  # the relative is marked in the snippet


def test_the_root_finds_the_affixed_word(app, client, make_post):
    make_post("published", title="Perizinan Bangunan Dipermudah", body="<p>Kepegawaian dinas dibenahi.</p>")
    assert _titles(_page(client, "izin").get_data(as_text=True)) == ["Perizinan Bangunan Dipermudah"]
    assert _titles(_page(client, "pegawai bangun").get_data(as_text=True)) == ["Perizinan Bangunan Dipermudah"]


def test_an_exact_word_ranks_above_a_relative(app, client, make_post):
    make_post("published", title="Perizinan Usaha Kecil", body="<p>Layanan satu pintu.</p>")
    make_post("published", title="Izin Usaha Kecil", body="<p>Layanan satu pintu.</p>")
    make_post("published", title="Perizinan Usaha Menengah", body="<p>Layanan satu pintu.</p>")
    assert _titles(_page(client, "izin usaha").get_data(as_text=True))[0] == "Izin Usaha Kecil"
    assert _titles(_page(client, "perizinan").get_data(as_text=True))[-1] == "Izin Usaha Kecil"


def test_reindex_stems_rows_written_by_raw_sql(app, client, make_post, runner):
    post = make_post("published", title="Taman Kota", body="<p>Isi.</p>")
    db.session.execute(
        text("UPDATE post SET title = 'Perizinan Taman', title_stems = '', text_stems = '' WHERE id = :id"),
        {"id": post.id},
    )
    db.session.commit()
    assert _titles(_page(client, "izin").get_data(as_text=True)) == []
    # The command rebuilds the index on its own connection; the test's session (shared
    # with the client's requests) must not hold the table meanwhile (PostgreSQL waits).
    db.session.rollback()
    # The command's bump reaches a worker within FEEDS_VERSION_TTL (a quarter
    # second on PostgreSQL): here the "worker" reads the counter every time.
    app.config["FEEDS_VERSION_TTL"] = 0
    result = runner.invoke(args=["cms", "reindex"])
    assert result.exit_code == 0, result.output
    assert (
        "post: index rebuilt" in result.output
        and "post: " in result.output
        and "words in the vocabulary" in result.output
    )
    assert _titles(_page(client, "izin").get_data(as_text=True)) == ["Perizinan Taman"]


def test_a_misspelt_word_gets_a_did_you_mean_link(app, client, make_post):
    make_post("published", title="Pemerintah Kota Menambah Taman", body="<p>Pemerintah menanam pohon.</p>")
    make_post("draft", title="Rahasia Anggaran Tersembunyi", body="<p>Anggaran rahasia.</p>")
    rebuild_vocabularies()
    html = _page(client, "pemerintha taman").get_data(as_text=True)
    assert "Apakah maksud Anda" in html
    assert 'href="/cari?q=pemerintah+taman"' in html
    # Known words get no suggestion, and a draft's words are never suggested.
    assert "Apakah maksud Anda" not in _page(client, "pemerintah").get_data(as_text=True)
    assert "Apakah maksud Anda" not in _page(client, "rahasai").get_data(as_text=True)


def test_edit_distance_counts_a_swap_once():
    assert distance("pemerintha", "pemerintah") == 1
    assert distance("taman", "tamam") == 1
    assert distance("banjir", "kebakaran") == 3


# name: (query, whether the item is found: every word of the query must be in it)
HOSTILE = {
    "empty": ("", False),
    "spaces": ("   ", False),
    "10,000 characters": ("banjir " * 1430, True),
    "operators only": ('AND OR NOT * "', False),
    "unbalanced quotes": ('"banjir jalan', True),
    "fts syntax": ("banjir (jalan) -raya ^raya jalan* {raya}:", True),
    "fts keywords": ("banjir NEAR(jalan) title:raya", False),
    "tsquery syntax": ("banjir & !jalan | (jalan <-> raya):* '", True),
    "mixed scripts": ("بانجير 洪水 🌊 banjir", False),
    "emoji and banjir": ("🌊🔥 banjir 🌊", True),
    "controls": ("banjir\x01\x7f jalan", True),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_query_gets_a_normal_page(app, client, make_post, name):
    make_post("published", title="Banjir di Jalan Raya", body="<p>Banjir setinggi lutut di jalan raya.</p>")
    query, found = HOSTILE[name]
    response = _page(client, query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<form class="search-box"' in html and "Traceback" not in html
    assert ("Banjir di Jalan Raya" in _titles(html)) is found


def test_staff_post_list_matches_stems_of_titles(app, client, make_post, login, users):
    make_post("draft", title="Perizinan Reklame Ditertibkan", body="<p>Isi.</p>")
    make_post("draft", title="Kabar Pasar", body="<p>Izin pasar.</p>")
    login(users["editor"])
    html = client.get("/admin/posts", query_string={"q": "izin"}).get_data(as_text=True)
    assert "Perizinan Reklame Ditertibkan" in html and "Kabar Pasar" not in html
    html = client.get("/admin/posts", query_string={"q": "rekla"}).get_data(as_text=True)
    assert "Perizinan Reklame Ditertibkan" in html
