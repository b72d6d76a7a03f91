"""Crosspost text is plain text: what the page prints, character for character.

Titles and summaries are stored as plain text (the page escapes them once);
the outbox used to clean them as HTML again, which dropped a literal
``<script>…</script>`` or ``<b>`` and decoded a literal ``&lt;`` a second time.
"""

from __future__ import annotations

import html

import pytest

from tests.conftest import on_postgres
from tests.plugins.crosspost.conftest import deliveries

# Stored values (already plain text), as the editor's clean_text leaves them.
TITLES = [
    "Rilis <script>alert(1)</script> akhir",
    "Tarif <b>baru</b> & <img src=x onerror=alert(1)>",
    "Kode &lt;b&gt; tetap teks",  # a writer typed "&amp;lt;b&amp;gt;"
    "Rp 5.000 & PT A&B, x < y ]]>",
]


@pytest.mark.parametrize("title", TITLES)
def test_networks_receive_the_title_and_summary_as_the_page_shows_them(
    xapp, mastodon, telegram, make_post, publish, add_account, title
):
    add_account("mastodon", mastodon)
    add_account("telegram", telegram)
    summary = f"Ringkasan: {title}"
    post = publish(make_post(title=title, summary=summary))
    assert [r.status for r in deliveries(post_id=post.id)] == ["sent", "sent"]

    (status,) = mastodon.posts.values()  # Mastodon takes plain text
    assert status["text"].startswith(f"{title}\n\n{summary}")

    (message,) = telegram.posts.values()  # Telegram takes HTML: escaped once, shown as the text
    assert message["text"].startswith(f"<b>{html.escape(title, quote=False)}</b>")
    assert message["visible"].startswith(f"{title}\n\n{summary}")


def test_story_keeps_the_stored_text_and_drops_only_control_characters(xapp, make_post):
    from plugins.crosspost.story import story_from_post

    nul = "" if on_postgres() else "\x00"  # PostgreSQL text cannot hold NUL at all
    post = make_post(title=f"Judul <i>miring</i> &amp; {nul}\x07bersih", summary="a &lt; b\x1b")
    story = story_from_post(post)
    assert story.title == "Judul <i>miring</i> &amp; bersih"
    assert story.summary == "a &lt; b"


def test_serta_merta_text_from_the_dip_hook_stays_text(xapp, mastodon, add_account):
    from plugins.crosspost import outbox

    add_account("mastodon", mastodon, share_serta_merta=True)
    outbox.on_serta_merta("Banjir <Cipinang> &lt;siaga&gt;", "Warga & relawan", "https://warta.test/ppid/dip/1")
    (status,) = mastodon.posts.values()
    assert status["text"].startswith("Banjir <Cipinang> &lt;siaga&gt;\n\nWarga & relawan")
