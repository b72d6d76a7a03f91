"""Images on every channel that takes them: re-encoded within each network's
limits, with alt text, as many as the network allows; a refused image sends
the text with its link (noted on the delivery); faults on the media step
never post twice."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from PIL import Image

from cms.extensions import db
from plugins.crosspost import images as images_module
from plugins.crosspost.channels import Account, RetryLater, Sent, Unknown
from plugins.crosspost.channels.bluesky import Bluesky
from plugins.crosspost.channels.facebook import FacebookPage
from plugins.crosspost.channels.mastodon import Mastodon
from plugins.crosspost.channels.telegram import Telegram
from plugins.crosspost.channels.x import X
from plugins.crosspost.story import ImageRef, Story
from tests.plugins.crosspost.conftest import deliveries, settings_for

CHANNELS = {"mastodon": Mastodon, "x": X, "bluesky": Bluesky, "telegram": Telegram, "facebook": FacebookPage}
ALLOWED = {"mastodon": 4, "x": 4, "bluesky": 4, "telegram": 5, "facebook": 5}  # of lead + 4 gallery
ALTS = ["Wali kota meresmikan taman", "Anak-anak bermain", "Air mancur", "Pohon baru", "Papan nama"]
STORY = Story(
    ref="post:7",
    title="Taman kota dibuka",
    summary="Taman seluas 2 hektare dibuka untuk umum.",
    url="https://warta.test/berita/taman-kota",
    kind="berita",
    published_at=datetime(2026, 11, 23, 3),
)


@pytest.fixture
def fake_for(request, mastodon, xfake, bluesky, telegram, facebook):
    return {"mastodon": mastodon, "x": xfake, "bluesky": bluesky, "telegram": telegram, "facebook": facebook}


def photo(size=(1600, 1200), colour=(200, 120, 40), orientation=None) -> bytes:
    """A photo-like JPEG (gradient, not flat) carrying camera EXIF with a GPS position."""
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (gradient, Image.new("L", size, colour[1]), gradient.rotate(90).resize(size)))
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = "Canon", "EOS R6", "Budi Santoso"
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 14.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)})
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def refs(tmp_path, count=5, data=None) -> tuple[ImageRef, ...]:
    found = []
    for n in range(count):
        path = tmp_path / f"foto-{n}.jpg"
        path.write_bytes(data or photo(size=(1600 - 100 * n, 1200), colour=(0, 40 * n, 0)))
        found.append(ImageRef(path=str(path), mime="image/jpeg", alt=ALTS[n]))
    return tuple(found)


def story_with(images) -> Story:
    return Story(**{**STORY.__dict__, "image": images[0] if images else None, "images": tuple(images)})


def account(key, fake):
    return Account(id=1, name="Humas", settings=settings_for(key, fake))


def send(key, fake, story, idempotency_key="key-img"):
    channel = CHANNELS[key]()
    return channel.send(channel.build_message(story), account(key, fake), idempotency_key)


def posted(key, fake) -> list[dict]:
    """The posts on the fake network (a Telegram album counts once)."""
    return [p for p in fake.posts.values() if "album_of" not in p]


def uploaded(key, fake) -> list[tuple[bytes, str | None]]:
    """(bytes, alt) of the images attached to the single post on the fake network, in order."""
    (post,) = posted(key, fake)
    if key == "mastodon":
        return [(fake.media[m]["data"], fake.media[m]["description"]) for m in post["media_ids"]]
    if key == "x":
        return [(fake.media[m]["data"], fake.media[m]["alt"]) for m in post["media_ids"]]
    if key == "bluesky":
        embed = post["record"].get("embed") or {}
        return [(fake.blob_data[i["image"]["ref"]["$link"]]["data"], i["alt"]) for i in embed.get("images", [])]
    if key == "telegram":
        return [(data, None) for data in post["photos"]]
    return [(fake.photos[p]["data"], fake.photos[p]["alt"]) for p in post["photos"]]


def text_of(key, post) -> str:
    return post.get("text") or post.get("message") or post.get("caption") or post["record"]["text"]


def assert_within_limits(key, data):
    limits = images_module.LIMITS[key]
    decoded = Image.open(io.BytesIO(data))
    decoded.load()
    assert decoded.format in ("JPEG", "PNG")
    assert len(data) <= limits.max_bytes
    assert max(decoded.size) <= limits.max_side
    assert not limits.max_pixels or decoded.width * decoded.height <= limits.max_pixels
    assert not limits.max_sum or sum(decoded.size) <= limits.max_sum
    assert not decoded.getexif() and "exif" not in decoded.info  # no camera, owner or GPS
    return decoded


# ------------------------------------------------------------------ what each network receives


@pytest.mark.parametrize("key", list(CHANNELS))
def test_each_network_gets_its_count_of_images_reencoded_with_alt_text(xapp, fake_for, tmp_path, key):
    fake = fake_for[key]
    outcome = send(key, fake, story_with(refs(tmp_path)))
    assert isinstance(outcome, Sent) and outcome.note == ""
    sent = uploaded(key, fake)
    assert len(sent) == ALLOWED[key]
    for data, _ in sent:
        assert assert_within_limits(key, data).format == "JPEG"
    if key != "telegram":  # the Bot API has no alt text for photos
        assert [alt for _, alt in sent] == ALTS[: ALLOWED[key]]
    (post,) = posted(key, fake)
    assert STORY.url in text_of(key, post)


def test_camera_rotation_is_applied_before_exif_is_dropped(tmp_path):
    upright = images_module.prepare(photo(size=(400, 300), orientation=6), "bluesky")
    assert (upright.width, upright.height) == (300, 400)
    assert not Image.open(io.BytesIO(upright.data)).getexif()


def test_a_fitting_jpeg_keeps_its_pixels_and_loses_its_metadata():
    source = photo(size=(1200, 630))
    # Phones append a second image (depth map, preview) with its own EXIF after the first.
    prepared = images_module.prepare(source + photo(size=(64, 48)), "x")
    assert prepared.data.endswith(b"\xff\xd9") and b"Budi Santoso" not in prepared.data
    assert b"Canon" not in prepared.data and len(prepared.data) < len(source)
    out, original = Image.open(io.BytesIO(prepared.data)), Image.open(io.BytesIO(source))
    assert not out.getexif() and out.tobytes() == original.tobytes()  # lossless: same pixels


def test_a_transparent_png_stays_png_when_it_fits():
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (255, 0, 0, 90)).save(out, "PNG")
    prepared = images_module.prepare(out.getvalue(), "mastodon", "Logo")
    assert prepared.mime == "image/png" and Image.open(io.BytesIO(prepared.data)).mode == "RGBA"


@pytest.fixture(scope="module")
def noisy_png() -> bytes:
    """Noise does not compress: 4200×2400 (10 MP, 30 MB) is over every network's limits."""
    noise = Image.effect_noise((4200, 2400), 90)
    image = Image.merge(
        "RGB",
        (noise, noise.transpose(Image.Transpose.FLIP_TOP_BOTTOM), noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
    )
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=0)
    return out.getvalue()


@pytest.mark.parametrize("key", list(CHANNELS))
def test_a_too_large_noisy_png_is_reencoded_under_the_limit(xapp, fake_for, tmp_path, key, noisy_png):
    fake = fake_for[key]
    path = tmp_path / "besar.png"
    path.write_bytes(noisy_png)
    story = story_with((ImageRef(path=str(path), mime="image/png", alt="Derau"),))
    assert isinstance(send(key, fake, story), Sent)
    ((data, _),) = uploaded(key, fake)
    assert len(noisy_png) > images_module.LIMITS[key].max_bytes or key in ("mastodon",)
    decoded = assert_within_limits(key, data)
    assert decoded.format == "JPEG" and max(decoded.size) >= 1000  # shrunk, not crushed


def test_an_unreadable_image_is_skipped_with_a_note(xapp, mastodon, tmp_path):
    broken = tmp_path / "rusak.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 2000)
    good = refs(tmp_path, count=1)[0]
    story = story_with((ImageRef(path=str(broken), mime="image/jpeg", alt="Rusak"), good))
    outcome = send("mastodon", mastodon, story)
    assert isinstance(outcome, Sent)
    assert [alt for _, alt in uploaded("mastodon", mastodon)] == [good.alt]
    assert outcome.note.startswith("Gambar 1 dilewati: berkas gambar tidak terbaca")


def test_a_story_with_only_a_lead_image_posts_it(xapp, telegram, tmp_path):
    lead = refs(tmp_path, count=1)[0]
    story = Story(**{**STORY.__dict__, "image": lead})  # an older payload: no images tuple
    assert isinstance(send("telegram", telegram, story), Sent)
    (post,) = posted("telegram", telegram)
    assert post["method"] == "sendPhoto" and len(post["photos"]) == 1


# ------------------------------------------------------------------ a refused image


def _refuse_next_image(key, fake):
    # Telegram's and a single Facebook photo's upload is the post itself.
    (fake.faults if key in ("telegram", "facebook") else fake.media_faults).append("400")


@pytest.mark.parametrize("key", list(CHANNELS))
def test_a_refused_image_falls_back_to_text_with_link_noted_on_the_delivery(
    xapp, fake_for, key, make_post, publish, add_account
):
    from cms.newsroom import media
    from plugins.crosspost.story import story_from_post

    fake = fake_for[key]
    add_account(key, fake)
    with xapp.test_request_context():
        lead = media.save_image_bytes(photo(), "taman.jpg", alt=ALTS[0])
        db.session.flush()
        post = make_post(featured_image_id=lead.id)
        url = story_from_post(post).url
        _refuse_next_image(key, fake)
        publish(post)
    (row,) = deliveries(post_id=post.id)
    assert row.status == "sent" and row.remote_url
    assert "Gambar ditolak" in row.last_error and "teks dengan tautan" in row.last_error
    (network_post,) = posted(key, fake)
    assert url in text_of(key, network_post)
    assert uploaded(key, fake) == []
    if key == "facebook":
        assert network_post["link"] == url  # a link post, with its preview card
    if key == "bluesky":
        assert network_post["record"]["embed"]["external"]["uri"] == url


# ------------------------------------------------------------------ faults on the media step


@pytest.mark.parametrize("fault", ["500-after-save", "timeout", "429"])
@pytest.mark.parametrize("key", ["mastodon", "x", "bluesky", "facebook"])
def test_media_step_faults_retry_without_posting_twice(xapp, fake_for, tmp_path, key, fault):
    fake = fake_for[key]
    story = story_with(refs(tmp_path, count=2))  # Facebook: unpublished photos, then /feed
    fake.media_faults.append(fault)
    first = send(key, fake, story)
    assert isinstance(first, RetryLater) and not first.maybe_sent, first
    assert posted(key, fake) == []  # nothing is on the network yet
    if fault == "429":
        assert first.delay is not None and first.delay >= 7
    second = send(key, fake, story)
    assert isinstance(second, Sent), second
    assert len(posted(key, fake)) == 1 and len(uploaded(key, fake)) == 2


@pytest.mark.parametrize(
    "fault,kind", [("500-after-save", Unknown), ("timeout-after-save", Unknown), ("429", RetryLater)]
)
def test_telegram_album_faults_are_judged_like_the_post_they_are(xapp, telegram, tmp_path, fault, kind):
    telegram.faults.append(fault)
    outcome = send("telegram", telegram, story_with(refs(tmp_path, count=3)))
    assert isinstance(outcome, kind), outcome
    # sendMediaGroup is the post: after a 500/timeout it may be there, so no blind re-send.
    assert len(posted("telegram", telegram)) == (0 if fault == "429" else 1)


def test_media_429_through_the_outbox_waits_then_sends_once(xapp, mastodon, make_post, publish, add_account):
    from datetime import timedelta

    import time_machine

    from cms.newsroom import media
    from plugins.crosspost import outbox
    from tests.plugins.crosspost.conftest import now

    add_account("mastodon", mastodon)
    start = now()
    with xapp.test_request_context(), time_machine.travel(start, tick=False):
        lead = media.save_image_bytes(photo(), "taman.jpg", alt=ALTS[0])
        db.session.flush()
        mastodon.media_faults.append("429")
        post = publish(make_post(featured_image_id=lead.id))
    (row,) = deliveries(post_id=post.id)
    assert row.status == "retry" and row.next_attempt_at == start + timedelta(seconds=7)
    assert mastodon.posts == {}
    with time_machine.travel(start + timedelta(seconds=8), tick=False):
        outbox.sweep()
    db.session.refresh(row)
    assert row.status == "sent" and row.last_error == "" and len(mastodon.posts) == 1
    assert [alt for _, alt in uploaded("mastodon", mastodon)] == [ALTS[0]]


# ------------------------------------------------------------------ Telegram albums afterwards


def test_telegram_album_is_edited_on_its_caption_and_deleted_whole(xapp, telegram, tmp_path):
    channel, acc = Telegram(), account("telegram", telegram)
    message = channel.build_message(story_with(refs(tmp_path, count=3)))
    sent = channel.send(message, acc, "k")
    assert len(sent.remote_id.split(",")) == 3
    assert sent.url == f"https://t.me/humaskota/{sent.remote_id.split(',')[0]}"
    fixed = channel.build_message(message.story, "Ralat: dibuka pukul 08.00 " + STORY.url)
    assert isinstance(channel.update(sent.remote_id, fixed, acc, "k2"), Sent)
    assert telegram.posts[sent.remote_id.split(",")[0]]["edited"].startswith("Ralat:")
    assert isinstance(channel.delete(sent.remote_id, acc, "k3"), Sent)
    assert telegram.posts == {}


def test_telegram_edits_the_text_of_a_post_whose_photo_was_refused(xapp, telegram, tmp_path):
    channel, acc = Telegram(), account("telegram", telegram)
    message = channel.build_message(story_with(refs(tmp_path, count=1)))
    telegram.faults.append("400")
    sent = channel.send(message, acc, "k")
    assert "Gambar ditolak oleh Telegram (Bad Request: PHOTO_INVALID_DIMENSIONS)" in sent.note
    fixed = channel.build_message(message.story, "Ralat: dibuka pukul 08.00 " + STORY.url)
    assert isinstance(channel.update(sent.remote_id, fixed, acc, "k2"), Sent)
    assert telegram.posts[sent.remote_id]["edited"].startswith("Ralat:")
