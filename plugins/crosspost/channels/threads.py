"""Threads through the Threads API.

``POST /{threads-user-id}/threads`` with ``media_type`` TEXT, IMAGE
(``image_url``) or CAROUSEL (item containers with ``is_carousel_item=true``,
then ``children``), poll ``status`` until FINISHED, then
``POST /{threads-user-id}/threads_publish``.  500 characters, an emoji
counting its UTF-8 bytes; at most 5 links.  No edits or deletes through the
API here: corrections and withdrawals are skipped (done by hand).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from plugins.crosspost import counting
from plugins.crosspost.channels.base import Setting
from plugins.crosspost.channels.meta import MetaChannel

TEXT_LIMIT = 500
MAX_LINKS = 5


class Threads(MetaChannel):
    key = "threads"
    label = "Threads"
    settings = (
        Setting("graph_base", _l("Alamat Threads API"), required=False, default="https://graph.threads.net/v1.0"),
        Setting("user_id", _l("ID pengguna Threads"), hint=_l("Angka dari GET /me?fields=id.")),
        Setting(
            "access_token",
            _l("Token akses"),
            secret=True,
            hint=_l("Token jangka panjang dengan izin threads_basic dan threads_content_publish."),
        ),
    )
    max_length = TEXT_LIMIT
    count_rule = "karakter (emoji = jumlah bita)"
    text_param = "text"
    container_edge = list_edge = "threads"
    publish_edge = "threads_publish"
    status_fields = "status,error_message"
    status_field = "status"
    max_items = 20
    image_mimes = ("image/jpeg", "image/png")

    def count(self, text: str) -> int:
        return counting.threads_length(text)

    def length_errors(self, text, message=None):
        errors = super().length_errors(text, message)
        links = len(set(counting.urls(text)))
        if links > MAX_LINKS:
            errors.append(f"Threads membolehkan paling banyak {MAX_LINKS} tautan; pesan ini {links}.")
        return errors

    def _extra_item(self):
        return {"media_type": "IMAGE"}

    def _extra_single(self):
        return {"media_type": "IMAGE"}

    def _extra_text(self):
        return {"media_type": "TEXT"}
