"""The channel payload carries the release's lead image as an absolute URL
with its alt text, end to end: publish → outbox → webhook → a real local
HTTP server (cms.testing's recorder)."""

from __future__ import annotations

import io

from PIL import Image

from cms.extensions import db
from cms.newsroom import media
from plugins.crosspost import accounts
from tests.plugins.crosspost.conftest import deliveries


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, "JPEG")
    return out.getvalue()


def test_webhook_payload_has_the_lead_image_url_and_alt(xapp, warta_http, make_post, publish):
    xapp.config["SITE_URL"] = "https://humas.kota.test"
    accounts.save(
        None, "webhook", "Portal provinsi", {"url": warta_http.url + "/hooks/warta", "secret": "whsec_c2VjcmV0"}
    )
    with xapp.test_request_context():
        lead = media.save_image_bytes(_jpeg(), "taman.jpg", alt="Wali kota meresmikan taman")
        db.session.flush()
        post = publish(make_post(featured_image_id=lead.id))
    assert [d.status for d in deliveries(post_id=post.id)] == ["sent"]
    image = warta_http.last("/hooks/warta").json()["data"]["image"]
    assert image["alt"] == "Wali kota meresmikan taman"
    assert image["url"].startswith("https://humas.kota.test/media/") and image["url"].endswith(".jpg")
    served = xapp.test_client().get(image["url"].removeprefix("https://humas.kota.test"))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"


def test_webhook_payload_without_image_says_none(xapp, warta_http, make_post, publish):
    accounts.save(
        None, "webhook", "Portal provinsi", {"url": warta_http.url + "/hooks/warta", "secret": "whsec_c2VjcmV0"}
    )
    publish(make_post())
    assert warta_http.last("/hooks/warta").json()["data"]["image"] is None
