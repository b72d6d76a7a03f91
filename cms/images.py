"""Image handling: the only module that imports Pillow.

Uploads are decoded, rotated upright, and re-encoded from pixels only, so
EXIF (GPS, camera serials), XMP, comments, PNG text chunks and anything
smuggled after the image data is dropped (only the ICC colour profile is
kept).  ``strip_metadata`` does the same for files kept at full size in
their own format (identity scans, DIP documents).  Variants: ``page`` (article width), ``card`` (1200×630 social
card) and ``thumb`` (lists and the media library).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # Pillow is imported at the first upload or conversion, not in every web worker
    from PIL import Image

ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused, not decoded
VARIANTS = {"page": (1200, None), "card": (1200, 630), "thumb": (480, None)}
FULL_MAX = 2400


class ImageError(ValueError):
    """The file is not an image we accept (corrupt, wrong type, too large)."""


@dataclass
class Encoded:
    data: bytes
    mime: str
    ext: str
    width: int
    height: int


def _open(data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise ImageError("Format gambar tidak didukung; gunakan JPEG, PNG, GIF atau WebP.")
            if image.width * image.height > MAX_PIXELS:
                raise ImageError("Resolusi gambar terlalu besar.")
            image.load()
        except ImageError:
            raise
        except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError("Berkas bukan gambar yang sah atau rusak.") from None
        except (OSError, SyntaxError, ValueError):
            raise ImageError("Berkas gambar rusak dan tidak dapat dibaca.") from None
    return image


def sniff(data: bytes) -> str | None:
    """The MIME type of an image by its content, or ``None``."""
    from PIL import Image

    try:
        return ALLOWED_FORMATS.get(Image.open(io.BytesIO(data)).format or "")
    except Exception:  # noqa: BLE001 - any failure means "not an image"
        return None


def _pixels_only(image: Image.Image) -> Image.Image:
    """Forget what Pillow would write back from ``info`` (it saves a JPEG's
    comment and XMP, for one, unless told otherwise)."""
    kept: dict[str | tuple[int, int], Any] = {
        key: image.info[key] for key in ("icc_profile", "transparency") if image.info.get(key) is not None
    }
    image.info = kept
    return image


def _upright(image: Image.Image) -> Image.Image:
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - broken EXIF must not block the upload
        return image


def _encode(image: Image.Image, keep_alpha: bool) -> Encoded:
    image = _pixels_only(image)
    out = io.BytesIO()
    if keep_alpha:
        image.save(out, "PNG", optimize=True)
        return Encoded(out.getvalue(), "image/png", "png", image.width, image.height)
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return Encoded(out.getvalue(), "image/jpeg", "jpg", image.width, image.height)


def process(data: bytes) -> tuple[Encoded, dict[str, Encoded]]:
    """Re-encode an upload: the full image (at most ``FULL_MAX``) and its variants."""
    from PIL import Image, ImageOps

    image = _upright(_open(data))
    keep_alpha = image.mode in ("RGBA", "LA", "P") and _has_alpha(image)
    image = image.convert("RGBA" if keep_alpha else "RGB")
    full = image.copy()
    full.thumbnail((FULL_MAX, FULL_MAX))
    variants: dict[str, Encoded] = {}
    for name, (width, height) in VARIANTS.items():
        if height:
            variant = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
        else:
            variant = image.copy()
            variant.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
        variants[name] = _encode(variant, keep_alpha)
    return _encode(full, keep_alpha), variants


SAVE_MODES = {"JPEG": ("L", "RGB", "CMYK"), "PNG": ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16")}


def strip_metadata(data: bytes, formats: tuple[str, ...] = ("JPEG", "PNG")) -> Encoded:
    """The same image in its own format and size, upright, with no metadata:
    EXIF (GPS included), XMP, comments and PNG text chunks are gone, the EXIF
    orientation is applied to the pixels.  Raises ``ImageError``."""
    image = _open(data)
    kind = image.format
    if kind not in formats:
        raise ImageError("Format gambar tidak didukung; gunakan JPEG atau PNG.")
    image = _upright(image)
    if image.mode not in SAVE_MODES[kind]:
        image = image.convert("RGBA" if kind == "PNG" and "A" in image.getbands() else "RGB")
    image = _pixels_only(image)
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, "JPEG", quality=92, optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return Encoded(out.getvalue(), ALLOWED_FORMATS[kind], "jpg" if kind == "JPEG" else "png", image.width, image.height)


def _has_alpha(image: Image.Image) -> bool:
    if image.mode == "P":
        return "transparency" in image.info
    low, _high = cast("tuple[int, int]", image.getchannel("A").getextrema())  # one band: (min, max)
    return low < 255


def placeholder(width: int, height: int, color: tuple[int, int, int], stripe: tuple[int, int, int]) -> bytes:
    """A plain two-tone JPEG (demo content and benchmarks; no external files)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    for x in range(-height, width, max(width // 8, 40)):
        draw.polygon([(x, height), (x + height // 2, 0), (x + height // 2 + 30, 0), (x + 30, height)], fill=stripe)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
