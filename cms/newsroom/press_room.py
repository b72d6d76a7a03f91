"""The press room's settings and what ``/media`` shows.

One ``press_room`` row holds the boilerplate ("Tentang …") and the state of
the media kit; the kit's photos are rows of ``press_kit_photo``.  Every change
here queues a rebuild of the media kit (``cms.newsroom.media_kit``).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from cms.audit import record
from cms.extensions import db
from cms.jobs import enqueue
from cms.models.content import Media, Post
from cms.models.press import PressKitPhoto, PressRoom
from cms.newsroom import publishing
from cms.newsroom.posts import WorkflowError
from cms.sanitize import clean_text
from cms.timeutil import naive_utc

LATEST_RELEASES = 5
MAX_KIT_PHOTOS = 12


def settings(create: bool = False) -> PressRoom:
    """The settings row.  Readers get an unsaved blank one until it exists;
    writers pass ``create`` (two first writers at once: one insert wins)."""
    row = db.session.get(PressRoom, 1)
    if row is None:
        row = PressRoom(id=1, boilerplate="", kit_size=0)
        if create:
            try:
                with db.session.begin_nested():
                    db.session.add(row)
            except IntegrityError:
                row = db.session.get(PressRoom, 1) or row
    return row


def boilerplate_paragraphs(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


def save_boilerplate(text: str, user) -> None:
    row = settings(create=True)
    row.boilerplate = clean_text(text)[:5000]
    row.updated_at = naive_utc()
    record("press_room.boilerplate", "press_room", 1, user=user)
    db.session.commit()
    kit_changed()


def kit_photos() -> list[PressKitPhoto]:
    return list(db.session.scalars(select(PressKitPhoto).order_by(PressKitPhoto.position, PressKitPhoto.media_id)))


def save_kit_photos(choices: list[tuple[int, str]], user) -> None:
    """``choices``: (media id, credit) in order; every photo needs its credit."""
    if len(choices) > MAX_KIT_PHOTOS:
        raise WorkflowError(f"Pilih paling banyak {MAX_KIT_PHOTOS} foto.", "photos")
    images = {m.id: m for m in db.session.scalars(select(Media).where(Media.id.in_([i for i, _ in choices] or [0])))}
    missing = [images[i].file_name for i, credit in choices if i in images and not clean_text(credit)]
    if missing:
        raise WorkflowError("Tulis kredit foto untuk: " + ", ".join(missing) + ".", "photos")
    db.session.execute(delete(PressKitPhoto))
    for position, (media_id, credit) in enumerate(choices):
        if media_id in images and images[media_id].kind == "image":
            db.session.add(PressKitPhoto(media_id=media_id, credit=clean_text(credit)[:200], position=position))
    record("press_room.photos", "press_room", 1, {"media": [i for i, _ in choices]}, user=user)
    db.session.commit()
    kit_changed()


def latest_releases(limit: int = LATEST_RELEASES) -> list[Post]:
    from sqlalchemy.orm import defer

    stmt = publishing.public_posts("siaran-pers").limit(limit)
    stmt = stmt.options(defer(Post.body_html), defer(Post.body_text), defer(Post.autosave_data))
    return list(db.session.scalars(stmt))


def kit_changed() -> None:
    """Queue a rebuild of the media kit (it skips work when nothing changed)."""
    enqueue("press.build_media_kit")
