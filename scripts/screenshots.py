"""Take the README's screenshots of a running Warta with the demo content.

    make run                                   # in another terminal (demo loaded)
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:5000

Starts nothing itself: give it the base URL of a site already serving the
demo.  Writes docs/screenshots/{home,release,press-room}-{phone,desktop}.png
(phone 360×740, desktop 1280×800), each cut to a reasonable height and
reduced to a 256-colour palette so every file stays under 250 KB.  Needs
Playwright and a Chromium (``--chromium``, default /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from urllib.parse import urljoin

from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZES = {"phone": (360, 740), "desktop": (1280, 800)}
MAX_HEIGHT = {"phone": 2600, "desktop": 1800}  # the top of a long page says enough
LIMIT = 250 * 1024


def shrink(png: bytes, height: int) -> bytes:
    """Crop to ``height`` and quantize to a palette (screens are flat colours)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.crop((0, 0, image.width, min(image.height, height)))
    for colours in (256, 128, 64):
        out = io.BytesIO()
        image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            out, "PNG", optimize=True
        )
        if out.tell() < LIMIT:
            break
    return out.getvalue()


def first_release(page, base: str) -> str:
    page.goto(urljoin(base, "/siaran-pers/"))
    href = page.locator("main a[href^='/siaran-pers/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href')).filter(h => h.split('/').filter(Boolean).length === 2)"
    )
    if not href:
        sys.exit("no release found on /siaran-pers/: load the demo first (flask --app wsgi cms demo)")
    return href[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:5000")
    parser.add_argument("--release", help="path of the release to show (default: the newest)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    base = args.base_url.rstrip("/") + "/"

    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium)
        for size, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            release = args.release or first_release(page, base)
            for name, path in (("home", "/"), ("release", release), ("press-room", "/media")):
                response = page.goto(urljoin(base, path), wait_until="networkidle")
                if response is None or response.status != 200:
                    sys.exit(f"{path}: HTTP {response.status if response else '?'}")
                png = shrink(page.screenshot(full_page=True), MAX_HEIGHT[size])
                target = args.out / f"{name}-{size}.png"
                target.write_bytes(png)
                print(
                    f"{target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}"
                    f"  {len(png) // 1024} KB"
                )
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
