"""The editor's writing aids, categories, action bar and revision history
(issue 21, "The editor")."""

from __future__ import annotations

import re
from html import unescape

from cms.extensions import db
from cms.models import Category, Post
from cms.newsroom import drafts
from cms.newsroom.editor import reading
from cms.newsroom.posts import data_from_snapshot

BODY = "<p>" + " ".join(f"kata{i}" for i in range(450)) + "</p>"


def _form(post, **changes):
    data = {
        "title": post.title,
        "kind": post.kind,
        "language": "id",
        "unit_id": post.unit_id or 0,
        "summary": post.summary,
        "body_html": post.body_html,
        "featured_image_id": 0,
        "version": post.version,
    }
    data.update(changes)
    return data


def test_word_count_and_reading_time_at_200_words_a_minute():
    assert reading.word_count("<p>Wali Kota <strong>meresmikan</strong> jembatan</p><p>baru.</p>") == 5
    assert reading.word_count("") == 0 and reading.reading_minutes(0) == 0
    assert reading.reading_minutes(200) == 1 and reading.reading_minutes(201) == 2
    assert reading.reading_minutes(reading.word_count(BODY)) == 3


def test_edit_page_states_count_reading_time_and_rate(app, client, login, users, make_post):
    post = make_post("draft", body=BODY)
    login(users["writer"])
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    assert '<span id="word-count">450</span> kata' in page
    assert '± <span id="reading-minutes">3</span> menit' in page
    assert "200 kata per menit" in page
    assert 'src="/static/editor/preview.js' in page


def test_search_result_is_cut_as_google_shows_it():
    title = "Pemerintah Kota Bekasi Meresmikan Jembatan Penghubung Kali Malang yang Baru Selesai"
    description = "Jembatan sepanjang 120 meter " * 10
    snippet = reading.search_result(title, "https://warta.test/siaran-pers/jembatan-baru", description)
    assert snippet.title == "Pemerintah Kota Bekasi Meresmikan Jembatan Penghubung Kali …"
    assert len(snippet.title) <= reading.TITLE_CUT
    assert snippet.url == "warta.test › siaran-pers › jembatan-baru"
    assert snippet.description.endswith(" …") and len(snippet.description) <= reading.DESCRIPTION_CUT
    assert reading.cut("Pendek saja", 60) == "Pendek saja"


def test_search_result_and_social_card_in_the_editor(app, client, login, users, make_post):
    post = make_post("draft", title="Posyandu Keliling Menyapa Warga", summary="Kader posyandu datang ke rumah warga.")
    login(users["writer"])
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    serp = page[page.index('id="search-preview"') :]
    assert f"warta.test › siaran-pers › {post.slug}" in serp
    assert '<p class="serp-title" id="serp-title">Posyandu Keliling Menyapa Warga</p>' in serp
    assert "Kader posyandu datang ke rumah warga." in serp
    card = page[page.index('id="social-card"') :]
    assert '<p class="card-title" id="card-title">Posyandu Keliling Menyapa Warga</p>' in card
    assert "Tanpa gambar utama" in card  # og:image is only the featured image


def test_categories_are_a_labelled_group_and_several_are_saved(app, client, login, users, make_post):
    cats = [Category(name=n, slug=n.lower()) for n in ("Kesehatan", "Pendidikan", "Ekonomi")]
    db.session.add_all(cats)
    db.session.commit()
    post = make_post("draft")
    login(users["writer"])
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    # A legend names the group; each label wraps its box (the old <label for> named a <ul>).
    assert re.search(r'<fieldset class="field checks" id="category_ids">\s*<legend>Kategori</legend>', page)
    assert re.search(r'<label class="check"><input id="category_ids-\d" name="category_ids" type="checkbox"', page)
    assert '<label for="category_ids">' not in page
    response = client.post(f"/admin/posts/{post.id}", data=_form(post, category_ids=[cats[0].id, cats[2].id]))
    assert response.status_code == 302
    db.session.expire_all()
    assert [c.name for c in db.session.get(Post, post.id).categories] == ["Ekonomi", "Kesehatan"]
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    assert len(re.findall(r'<input checked id="category_ids-\d"', page)) == 2


def test_workflow_actions_sit_in_a_sticky_bar_above_the_form(app, client, login, users, make_post):
    post = make_post("review")
    login(users["editor"])
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    bar = page.index('id="action-bar"')
    assert bar < page.index('id="post-form"')
    for label in ("Simpan", "Setujui"):
        assert page.index(f">{label}</button>", bar) < page.index('id="post-form"')
    assert 'form="post-form">Simpan</button>' in page  # the bar's Save submits the post form
    css = client.get("/static/editor/editor.css").get_data(as_text=True)
    assert re.search(r"\.action-bar \{ position: sticky; top: 0;", css)


def test_revision_history_speaks_indonesian(app, client, login, users, make_post):
    post = make_post("approved")
    login(users["editor"])
    page = client.get(f"/admin/posts/{post.id}/revisions").get_data(as_text=True)
    for label in ("Dibuat", "Diajukan untuk ditinjau", "Disetujui"):
        assert f"· {label} ·" in page
    assert "· submit ·" not in page and "· approve ·" not in page


def test_word_diff_shows_only_what_changed_with_context(app, client, login, users, make_post):
    post = make_post("draft", body=BODY)
    writer = users["writer"]
    data = data_from_snapshot(post.revisions[0].data, post)
    data.body_html = BODY.replace("kata200", "KATA-BARU")
    drafts.save_post(post, writer, data, post.version)
    login(writer)
    newest = db.session.get(Post, post.id).revisions[0]
    page = client.get(f"/admin/posts/{post.id}/revisions?rev={newest.id}").get_data(as_text=True)
    diff = unescape(page[page.index('id="h-diff"') : page.index("</section>")])
    assert "<del>kata200</del><ins>KATA-BARU</ins>" in diff
    assert "kata194 kata195 kata196 kata197 kata198 kata199 <del>" in diff  # a little context
    assert "kata10 " not in diff and "kata400" not in diff  # not the whole paragraph
    assert '<span class="gap">…</span>' in diff
