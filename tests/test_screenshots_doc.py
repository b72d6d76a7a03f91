"""The README's screenshots: present, small, and the script that retakes them."""

from __future__ import annotations

import importlib.util
import io
import random
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SHOTS = [f"{page}-{size}.png" for page in ("home", "release", "press-room") for size in ("phone", "desktop")]


def _script():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_screenshot_is_committed_small_and_shown_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in SHOTS:
        path = ROOT / "docs" / "screenshots" / name
        assert path.stat().st_size < 250 * 1024, name
        width = Image.open(path).width
        assert width == (360 if "phone" in name else 1280), name
        assert f"docs/screenshots/{name}" in readme, name


def test_shrink_crops_long_pages_and_keeps_them_under_the_limit():
    rng = random.Random(7)
    image = Image.new("RGB", (1280, 5000), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(4000):  # busy, photo-like content
        x, y = rng.randrange(1280), rng.randrange(5000)
        draw.rectangle((x, y, x + 40, y + 30), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    raw = io.BytesIO()
    image.save(raw, "PNG")
    small = _script().shrink(raw.getvalue(), 1800)
    assert len(small) < 250 * 1024
    assert Image.open(io.BytesIO(small)).size == (1280, 1800)
