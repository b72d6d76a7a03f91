"""Re-encoding a story's images for each network: size, pixels, bytes, format.

Every channel that uploads images calls ``for_network``; the per-network
limits live only here.  Output is JPEG (PNG only for an image with real
transparency that fits), orientation applied and all metadata dropped (EXIF
carries GPS positions and camera serials), so what leaves the machine is
exactly the pixels.

Speed (p95 < 150 ms per image): a JPEG already within the limits, upright,
keeps its compressed data and only loses its metadata segments (lossless,
~1 ms); a larger one is decoded at a reduced scale (``draft``) to about the
target size, and quality then size step down until the bytes fit.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from plugins.crosspost.story import ImageRef, Message

if TYPE_CHECKING:  # Pillow: at the first cross-post with a picture, not in every web worker
    from PIL import Image


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_side: int  # long edge in px the network accepts or keeps
    max_count: int  # images one post can carry
    max_pixels: int | None = None
    max_sum: int | None = None  # width + height (Telegram)
    alt_max: int = 1000  # characters of alt text the network keeps
    target_side: int = 2048  # what we send at most: sharp on any screen, fast to encode


# Sources: each network's upload documentation (see docs/crosspost.md, "Images").
LIMITS: dict[str, Limits] = {
    # Bluesky checks only the blob's bytes; its own app sends 2000 px, the CDN resizes anyway.
    "bluesky": Limits(max_bytes=1_000_000, max_side=2048, max_count=4, alt_max=2000),
    "x": Limits(max_bytes=5_000_000, max_side=4096, max_count=4, alt_max=1000),
    "mastodon": Limits(max_bytes=16_000_000, max_side=3840, max_count=4, max_pixels=3840 * 2160, alt_max=1500),
    "telegram": Limits(max_bytes=10_000_000, max_side=2560, max_count=10, max_sum=10_000, alt_max=0),
    "facebook": Limits(max_bytes=4_000_000, max_side=2048, max_count=10, alt_max=1000),
}

QUALITIES = (85, 75, 65)
MAX_SOURCE_PIXELS = 60_000_000  # refuse decompression bombs rather than spend seconds on them


class ImageProblem(Exception):
    """The file cannot be read or re-encoded; the reason is fit for the admin."""


@dataclass(frozen=True)
class Prepared:
    data: bytes
    mime: str
    width: int
    height: int
    alt: str

    @property
    def filename(self) -> str:
        return "image.png" if self.mime == "image/png" else "image.jpg"


def _target_size(width: int, height: int, limits: Limits) -> tuple[int, int]:
    scale = min(1.0, min(limits.max_side, limits.target_side) / max(width, height))
    if limits.max_pixels:
        scale = min(scale, math.sqrt(limits.max_pixels / (width * height)))
    if limits.max_sum:
        scale = min(scale, limits.max_sum / (width + height))
    return max(1, int(width * scale)), max(1, int(height * scale))


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        alpha = image.convert("RGBA").getchannel("A")
        low, _high = cast("tuple[int, int]", alpha.getextrema())  # one band: (min, max)
        return low < 255
    return False


def _encode(image: Image.Image, fmt: str, quality: int, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    image.info = {}  # nothing of the source's metadata is written (Pillow copies info along)
    if fmt == "PNG":
        image.save(out, "PNG", optimize=False, compress_level=6)
    else:
        image.save(
            out,
            "JPEG",
            quality=quality,
            optimize=False,
            progressive=False,
            icc_profile=icc or None,
            subsampling="4:2:0",
        )
    return out.getvalue()


_KEEP_APP = (b"JFIF\x00", b"JFXX\x00", b"ICC_PROFILE\x00", b"Adobe")  # APP0, APP2 colour, APP14


def strip_jpeg(data: bytes) -> bytes | None:
    """The JPEG without metadata segments (EXIF, XMP, IPTC, comments, MPF)
    and without anything after the first image's end (phones append depth
    maps and previews there, with their own EXIF); ``None`` if unparsable."""
    if data[:2] != b"\xff\xd8":
        return None
    out, pos = [b"\xff\xd8"], 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        if marker == 0xDA:  # start of scan: entropy-coded data follows; FFD9 ends the image
            end = data.find(b"\xff\xd9", pos + 2 + length)
            if end < 0:
                return None
            out.append(data[pos : end + 2])
            return b"".join(out)
        is_app = 0xE0 <= marker <= 0xEF
        if marker != 0xFE and (not is_app or segment[4:].startswith(_KEEP_APP)):
            out.append(segment)
        pos += 2 + length
    return None


def _passthrough(data: bytes, probe: Image.Image, limits: Limits) -> bytes | None:
    """``data`` stripped of metadata when it already suits the network as it is."""
    if probe.format != "JPEG" or probe.mode not in ("RGB", "L") or len(data) > limits.max_bytes:
        return None
    if _target_size(probe.width, probe.height, limits) != probe.size:
        return None
    if probe.getexif().get(0x0112, 1) != 1:  # rotated by EXIF: the pixels must be turned
        return None
    return strip_jpeg(data)


def _open(data: bytes, size_hint: tuple[int, int]) -> Image.Image:
    from PIL import Image, ImageOps

    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_SOURCE_PIXELS:
            raise ImageProblem(f"gambar terlalu besar ({image.width}×{image.height} piksel)")
        if image.format == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale: most of the speed.  Up to 10 %
            # under the target is fine and saves decoding at full size.
            image.draft("RGB", (int(size_hint[0] * 0.9), int(size_hint[1] * 0.9)))
        image.load()
        return ImageOps.exif_transpose(image)  # apply the camera's rotation before EXIF goes
    except ImageProblem:
        raise
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise ImageProblem(f"berkas gambar tidak terbaca ({type(exc).__name__})") from exc


def prepare(data: bytes, network: str, alt: str = "") -> Prepared:
    """``data`` re-encoded within ``network``'s limits, or ``ImageProblem``."""
    from PIL import Image

    limits = LIMITS[network]
    alt = alt[: limits.alt_max]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            kept = _passthrough(data, probe, limits)
    except Exception as exc:  # Pillow raises many kinds for a broken file
        raise ImageProblem(f"berkas gambar tidak terbaca ({type(exc).__name__})") from exc
    if kept is not None:
        return Prepared(kept, "image/jpeg", width, height, alt)
    target = _target_size(width, height, limits)
    image = _open(data, target)
    icc = image.info.get("icc_profile")
    target = _target_size(image.width, image.height, limits)
    if max(image.size) > max(target):  # a draft may already be a little under the target
        image = image.resize(target, Image.Resampling.BICUBIC, reducing_gap=2.0)
    alpha = _has_alpha(image)
    if alpha:
        png = image.convert("RGBA")
        encoded = _encode(png, "PNG", 0, None)
        if len(encoded) <= limits.max_bytes:
            return Prepared(encoded, "image/png", png.width, png.height, alt)
        flat = Image.new("RGB", image.size, "white")
        flat.paste(png, mask=png.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    step = 0
    while True:
        encoded = _encode(image, "JPEG", QUALITIES[step], icc)
        if len(encoded) <= limits.max_bytes:
            return Prepared(encoded, "image/jpeg", image.width, image.height, alt)
        overshoot = len(encoded) / limits.max_bytes
        if overshoot < 1.4 and step < len(QUALITIES) - 1:
            step += 1  # nearly fits: a lower quality costs less than fewer pixels
            continue
        if max(image.size) <= 64:
            raise ImageProblem("gambar tidak dapat diperkecil di bawah batas jaringan")
        # Bytes grow about with the pixel count: shrink by the overshoot, with a margin.
        scale = min(0.9, math.sqrt(1 / overshoot) * 0.95)
        image = image.resize(
            (max(1, int(image.width * scale)), max(1, int(image.height * scale))), Image.Resampling.BICUBIC
        )


def refs_of(message: Message) -> tuple[ImageRef, ...]:
    """The images a message carries: the story's lead and gallery, else its lead image."""
    images = message.story.images
    if not images and message.image is not None:
        images = (message.image,)
    return images


def for_network(message: Message, network: str) -> tuple[list[Prepared], list[str]]:
    """Up to the network's count of the message's images, re-encoded, with a
    note per image that had to be left out.  Alt text falls back to the title."""
    prepared, notes = [], []
    for number, ref in enumerate(refs_of(message)[: LIMITS[network].max_count], start=1):
        try:
            data = ref.read()
        except OSError as exc:
            notes.append(f"Gambar {number} dilewati: berkas tidak dapat dibaca ({type(exc).__name__}).")
            continue
        try:
            prepared.append(prepare(data, network, ref.alt or message.title))
        except ImageProblem as exc:
            notes.append(f"Gambar {number} dilewati: {exc}.")
    return prepared, notes
