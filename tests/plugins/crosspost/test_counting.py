"""Length rules counted as each network counts: emoji, combined characters, Indonesian, URLs."""

from __future__ import annotations

from plugins.crosspost import counting
from plugins.crosspost.channels.bluesky import link_facets
from plugins.crosspost.channels.telegram import truncate_html, visible_text

FAMILY = "👨\u200d❤\ufe0f\u200d👨"  # one grapheme, six code points, 20 bytes
FLAG_ID = "🇮🇩"


def test_grapheme_count_treats_emoji_sequences_and_flags_as_one():
    assert counting.grapheme_count(FAMILY) == 1
    assert len(FAMILY) == 6 and counting.utf8_bytes(FAMILY) == 20
    assert counting.grapheme_count(FLAG_ID) == 1 and counting.utf8_bytes(FLAG_ID) == 8
    assert counting.grapheme_count("👍🏽") == 1  # skin-tone modifier


def test_combining_marks_join_their_base_letter():
    decomposed = "Pe\u0301mkot"  # é as e + combining acute
    assert len(decomposed) == 7
    assert counting.grapheme_count(decomposed) == 6


def test_indonesian_text_counts_one_per_letter():
    text = "Wali Kota Bekasi meresmikan Jembatan Kali Malang, Senin (3/3)."
    assert counting.grapheme_count(text) == len(text)
    assert counting.x_weighted_length(text) == len(text)
    assert counting.mastodon_length(text) == len(text)


def test_mastodon_counts_every_url_as_23():
    url = "https://bekasikota.go.id/siaran-pers/pemkot-buka-pendaftaran-beasiswa-2026-untuk-pelajar"
    assert len(url) > 23
    assert counting.mastodon_length(f"Baca: {url}") == len("Baca: ") + 23
    assert counting.mastodon_length(f"{FLAG_ID} {url}") == 2 + 23


def test_mastodon_counts_remote_mentions_by_their_local_part():
    assert counting.mastodon_length("Halo @humas@mastodon.social!") == len("Halo @humas!")


def test_x_weighs_emoji_and_cjk_as_two_and_urls_as_23():
    assert counting.x_weighted_length("halo") == 4
    assert counting.x_weighted_length(FAMILY) == 2
    assert counting.x_weighted_length(FLAG_ID) == 2
    assert counting.x_weighted_length("日本") == 4
    assert counting.x_weighted_length("é") == 1  # NFC
    assert counting.x_weighted_length("Info: https://example.go.id/a/very/long/path/that/is/long") == 6 + 23


def test_telegram_counts_utf16_units():
    assert counting.utf16_units("abc") == 3
    assert counting.utf16_units("😀") == 2


def test_shorten_words_never_cuts_a_word():
    text = "Pemerintah kota membuka pendaftaran beasiswa"
    short = counting.shorten_words(text, lambda s: len(s) <= 25)
    assert short == "Pemerintah kota membuka…"
    assert counting.shorten_words("pendek", lambda s: len(s) <= 25) == "pendek"


def test_telegram_truncation_keeps_tags_balanced_and_words_whole():
    html = "<b>Judul penting</b>\n\n<i>Ringkasan yang cukup panjang untuk dipotong di sini</i> &amp; lagi"
    cut = truncate_html(html, 30)
    assert cut.count("<i>") == cut.count("</i>") and cut.count("<b>") == cut.count("</b>")
    visible = visible_text(cut)
    assert len(visible) <= 30
    assert visible.endswith("…")
    assert all(word in visible_text(html) for word in visible.rstrip("…").split())


def test_telegram_truncation_escapes_text():
    cut = truncate_html("a &lt; b &amp; c", 100)
    assert cut == "a &lt; b &amp; c"


def test_bluesky_link_facets_use_utf8_byte_offsets():
    text = f"{FLAG_ID} Baca selengkapnya: https://warta.test/siaran-pers/x"
    (facet,) = link_facets(text)
    raw = text.encode()
    assert raw[facet["index"]["byteStart"] : facet["index"]["byteEnd"]] == b"https://warta.test/siaran-pers/x"
    assert facet["index"]["byteStart"] == len(f"{FLAG_ID} Baca selengkapnya: ".encode())


def test_fallback_segmenter_agrees_with_regex_on_common_text():
    """Used only when the ``regex`` package is missing; must agree on what newsrooms write."""
    samples = [
        FAMILY,
        FLAG_ID,
        "👍🏽",
        "Pe\u0301mkot",
        "Kota Bekasi 🇮🇩🎉 dirgahayu!",
        "❤️ warga",
        "a\r\nb",
        "Jalan Ir. H. Juanda — 3/3, pukul 10.00 WIB",
        "👩‍👩‍👧‍👦 keluarga",
        "日本語",
    ]
    for text in samples:
        assert counting._fallback_graphemes(text) == counting.graphemes(text), text
