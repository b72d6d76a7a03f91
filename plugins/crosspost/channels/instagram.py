"""Instagram (professional account) through the Instagram Graph API content publishing.

``POST /{ig-user-id}/media`` (image_url + caption; a carousel is item
containers with ``is_carousel_item=true`` then a CAROUSEL container with
``children``), poll ``status_code`` until FINISHED, ``POST media_publish``.
Instagram fetches the image from its public URL and takes JPEG only; a
release without one is skipped unless the account has a default image.
Links in captions are not clickable, so the caption says where to read on.
Instagram cannot edit a caption or delete media through this API:
corrections and withdrawals are skipped (done by hand).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from plugins.crosspost import counting
from plugins.crosspost.channels.base import Setting, Skipped
from plugins.crosspost.channels.meta import MetaChannel

CAPTION_LIMIT = 2200
MAX_HASHTAGS = 30
MAX_MENTIONS = 20
LINK_MODES = ("caption", "bio")


class Instagram(MetaChannel):
    key = "instagram"
    label = "Instagram"
    settings = (
        Setting(
            "graph_base",
            _l("Alamat Graph API"),
            required=False,
            default="https://graph.facebook.com/v21.0",
            hint=_l("https://graph.instagram.com/v21.0 untuk token Instagram Login."),
        ),
        Setting(
            "user_id",
            _l("ID akun Instagram (ig-user-id)"),
            hint=_l("Akun profesional (bisnis/kreator), bukan nama pengguna."),
        ),
        Setting(
            "access_token",
            _l("Token akses"),
            secret=True,
            hint=_l("Token jangka panjang dengan izin instagram_basic dan instagram_content_publish."),
        ),
        Setting(
            "link_mode",
            _l("Letak tautan"),
            required=False,
            default="caption",
            choices=LINK_MODES,
            hint=_l("caption: \u201cBaca selengkapnya: <alamat>\u201d di keterangan; bio: \u201cTautan di bio\u201d."),
        ),
        Setting(
            "default_image_url",
            _l("Gambar bawaan (URL JPEG)"),
            required=False,
            hint=_l("Dipakai bila rilis tanpa gambar; kosongkan untuk melewati rilis tanpa gambar."),
        ),
    )
    max_length = CAPTION_LIMIT
    count_rule = "karakter (emoji = 2)"

    def count(self, text: str) -> int:
        return counting.instagram_length(text)

    def length_errors(self, text, message=None):
        errors = super().length_errors(text, message)
        tags = len(counting.hashtags(text))
        if tags > MAX_HASHTAGS:
            errors.append(f"Instagram membolehkan paling banyak {MAX_HASHTAGS} tagar; pesan ini {tags}.")
        names = len(counting.mentions(text))
        if names > MAX_MENTIONS:
            errors.append(f"Instagram membolehkan paling banyak {MAX_MENTIONS} sebutan @; pesan ini {names}.")
        return errors

    def link_line(self, story, settings=None):
        mode = ((settings or {}).get("link_mode") or "caption").strip().lower()
        if mode == "bio" or not story.url:
            return "Baca selengkapnya lewat tautan di bio."
        return f"Baca selengkapnya: {story.url}"

    def media_urls(self, message, account):
        media = super().media_urls(message, account)
        if media:
            return media
        default = account.get("default_image_url")
        if default:
            return [(default, "")]
        return Skipped(self._no_image(message) + " Tambahkan gambar atau isi gambar bawaan akun, lalu kirim ulang.")

    def _no_image(self, message) -> str:
        if message.story.images or message.image is not None:
            return "Instagram hanya menerima gambar JPEG dan rilis ini tidak punya gambar JPEG."
        return "Instagram memerlukan gambar dan rilis ini tidak punya gambar."

    def notice(self, message, settings=None):
        if MetaChannel.media_urls(self, message, None) or (settings or {}).get("default_image_url"):
            return ""
        return self._no_image(message) + " Tanpa gambar, pengiriman ke akun ini dilewati."
