"""Re-encode time per network for realistic photos (issue 25: p95 < 150 ms).

Generates camera-like JPEGs (smooth light, texture, grain, EXIF) at the
sizes channels meet: the media library's ``card`` variant (1200×630, what a
story normally carries), a resized upload (2048×1536) and a phone original
(4032×3024, when no variant exists).  Times ``images.prepare`` only (the
file is already in memory) and prints p50/p95 per network and source.

    .venv/bin/python bench/crosspost/images.py --runs 30
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image, ImageFilter  # noqa: E402

from plugins.crosspost import images  # noqa: E402

SOURCES = {"card 1200×630": (1200, 630), "upload 2048×1536": (2048, 1536), "phone 4032×3024": (4032, 3024)}


def realistic_photo(size: tuple[int, int], seed: int) -> bytes:
    """Light falling across a scene (gradients), blurred texture (foliage,
    walls) and sensor grain, saved as a camera would: JPEG q92 with EXIF."""
    rng = random.Random(seed)
    small = (max(8, size[0] // 8), max(8, size[1] // 8))
    texture = Image.effect_noise(small, 60).filter(ImageFilter.GaussianBlur(2)).resize(size, Image.BICUBIC)
    light = Image.linear_gradient("L").rotate(rng.randint(0, 359)).resize(size)
    grain = Image.effect_noise(size, 12)
    channels = [Image.blend(Image.blend(light, texture, 0.5 + rng.random() * 0.2), grain, 0.12) for _ in range(3)]
    channels[rng.randrange(3)] = channels[rng.randrange(3)].point(lambda v: min(255, int(v * 1.15)))
    photo = Image.merge("RGB", channels)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Canon", "EOS R6"
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="encodes per network and source")
    parser.add_argument("--photos", type=int, default=5, help="distinct photos per source size")
    args = parser.parse_args()

    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("\n| source | network | p50 ms | p95 ms | output (last) |\n|---|---|---:|---:|---|")
    worst = 0.0
    for label, size in SOURCES.items():
        photos = [realistic_photo(size, seed) for seed in range(args.photos)]
        for network in images.LIMITS:
            timings, last = [], None
            images.prepare(photos[0], network)  # warm up the codecs
            for run in range(args.runs):
                data = photos[run % len(photos)]
                start = time.perf_counter()
                last = images.prepare(data, network)
                timings.append((time.perf_counter() - start) * 1000)
            p50, p95 = statistics.median(timings), percentile(timings, 0.95)
            worst = max(worst, p95)
            print(
                f"| {label} | {network} | {p50:.0f} | {p95:.0f} | "
                f"{last.width}×{last.height} {len(last.data) // 1000} kB |"
            )
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    print(f"worst p95: {worst:.0f} ms (target < 150 ms)")


if __name__ == "__main__":
    main()
