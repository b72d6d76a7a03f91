"""The DIP catalogue matches Indonesian stems, suggests a word for a typo and
answers hostile queries with a normal page (on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from cms.search_terms import rebuild_vocabularies


def _page(client, q):
    response = client.get("/ppid/dip", query_string={"q": q})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_affixed_words_find_their_roots_in_the_catalogue(client, make_entry):
    make_entry("Izin Mendirikan Bangunan", description="Daftar izin yang terbit")
    make_entry("Data Pegawai Negeri Sipil", description="Jumlah pegawai per golongan")
    make_entry("Struktur organisasi", description="Bagan organisasi")
    page = _page(client, "perizinan")
    assert "<mark>Izin</mark> Mendirikan Bangunan" in page and "Struktur organisasi" not in page and "1 entri" in page
    page = _page(client, "kepegawaian")
    assert "Data <mark>Pegawai</mark> Negeri Sipil" in page and "1 entri" in page
    assert "Izin Mendirikan <mark>Bangunan</mark>" in _page(client, "pembangunan")


def test_a_typo_gets_a_did_you_mean_link(client, make_entry):
    make_entry("Laporan Keuangan Daerah", description="Neraca")
    make_entry("Rahasia", description="Tersembunyi", published=False)
    rebuild_vocabularies()
    page = _page(client, "keuagan")
    assert "Apakah maksud Anda" in page and "q=keuangan" in page
    assert "Apakah maksud Anda" not in _page(client, "rahasai")  # unpublished words are never suggested


@pytest.mark.parametrize(
    "q", ["", " ", "x" * 10_000, 'AND OR NOT * "', '"laporan keuangan', "تقرير 报告 📊 laporan", "laporan\x01"]
)
def test_hostile_queries_answer_a_normal_page(client, make_entry, q):
    make_entry("Laporan Keuangan Daerah", description="Neraca")
    page = _page(client, q)
    assert "dip-tools" in page
    if q.startswith('"'):
        assert "<mark>Laporan</mark> <mark>Keuangan</mark> Daerah" in page


def test_postgresql_matches_the_stored_vector(client, make_entry):
    from sqlalchemy import event

    from cms.extensions import db
    from tests.conftest import on_postgres

    if not on_postgres():
        pytest.skip("PostgreSQL's tsvector")
    make_entry("Izin Mendirikan Bangunan", description="Daftar izin yang terbit")
    seen: list[str] = []

    def keep(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        page = _page(client, "perizinan")
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert "<mark>Izin</mark> Mendirikan Bangunan" in page
    searched = [s for s in seen if "@@" in s]
    assert searched and all("dip_entry.search_vector @@" in s for s in searched)
    # the candidates' titles come with the match, not by a second IN (…) statement
    assert any("SELECT dip_entry.id, dip_entry.title" in s for s in searched)
    assert not any("SELECT dip_entry.id, dip_entry.title" in s and "@@" not in s for s in seen)
    assert not any("text_stems" in s and "to_tsvector" in s for s in seen)
