"""Draw the demo newsroom's illustrations and lambang (run once; output is committed).

    .venv/bin/python scripts/make_demo_images.py

Flat, sober scenes of a city (a bridge, a clinic, a school, a car-free day…),
drawn with Pillow so the demo ships real-looking pictures made for it and no
photo of anyone.  Each JPEG stays well under 150 KB.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "cms" / "newsroom" / "demo_assets"
W, H = 1200, 675


def sky(d, top, bottom, horizon=480):
    for y in range(horizon):
        t = y / horizon
        d.line([(0, y), (W, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))


def skyline(d, rnd, base, colour, count=14, hmin=80, hmax=260):
    x = -20
    while x < W:
        w = rnd.randint(50, 120)
        h = rnd.randint(hmin, hmax)
        d.rectangle([x, base - h, x + w, base], fill=colour)
        light = tuple(min(255, c + 40) for c in colour)
        for wy in range(base - h + 14, base - 12, 22):
            for wx in range(x + 10, x + w - 12, 18):
                if rnd.random() < 0.55:
                    d.rectangle([wx, wy, wx + 8, wy + 10], fill=light)
        x += w + rnd.randint(4, 18)


def trees(d, rnd, base, n=8, colour=(46, 110, 62)):
    for _ in range(n):
        x = rnd.randint(0, W)
        r = rnd.randint(22, 40)
        d.rectangle([x - 4, base - r, x + 4, base], fill=(92, 64, 40))
        d.ellipse([x - r, base - 2 * r - 10, x + r, base - r + 6], fill=colour)


def person(d, x, y, colour, scale=1.0):
    s = scale
    d.ellipse([x - 9 * s, y - 58 * s, x + 9 * s, y - 40 * s], fill=(120, 80, 55))
    d.rounded_rectangle([x - 12 * s, y - 40 * s, x + 12 * s, y - 8 * s], radius=int(6 * s), fill=colour)
    d.rectangle([x - 9 * s, y - 8 * s, x - 3 * s, y + 14 * s], fill=(40, 44, 60))
    d.rectangle([x + 3 * s, y - 8 * s, x + 9 * s, y + 14 * s], fill=(40, 44, 60))


def crowd(d, rnd, y, n, spread=(40, W - 40)):
    palette = [(200, 60, 60), (40, 110, 170), (230, 170, 40), (60, 150, 90), (150, 80, 160), (240, 240, 240)]
    for _ in range(n):
        person(d, rnd.randint(*spread), y + rnd.randint(-10, 30), rnd.choice(palette), rnd.uniform(0.8, 1.2))


def bridge(d, rnd):
    sky(d, (120, 170, 220), (220, 235, 245))
    skyline(d, rnd, 420, (150, 165, 185))
    d.rectangle([0, 420, W, H], fill=(70, 120, 140))
    for y in range(440, H, 18):
        d.line([(rnd.randint(0, 300), y), (rnd.randint(600, W), y)], fill=(100, 150, 170), width=3)
    d.rectangle([0, 360, W, 392], fill=(200, 200, 195))
    d.rectangle([0, 392, W, 404], fill=(120, 120, 120))
    for px in (300, 900):
        d.rectangle([px - 14, 392, px + 14, H], fill=(170, 170, 165))
        d.rectangle([px - 10, 200, px + 10, 360], fill=(220, 220, 215))
        for k in range(-5, 6):
            d.line([(px, 210), (px + k * 52, 360)], fill=(235, 235, 235), width=3)
    for i, cx in enumerate(range(60, W, 190)):
        d.rounded_rectangle(
            [cx, 336, cx + 90, 362], radius=8, fill=[(200, 40, 40), (240, 240, 240), (40, 90, 160)][i % 3]
        )


def clinic(d, rnd):
    sky(d, (160, 200, 235), (235, 242, 248))
    trees(d, rnd, 470, 6)
    d.rectangle([0, 470, W, H], fill=(190, 190, 180))
    d.rectangle([260, 200, 940, 470], fill=(245, 245, 240))
    d.polygon([(230, 200), (970, 200), (600, 120)], fill=(180, 60, 60))
    d.rectangle([540, 230, 660, 270], fill=(255, 255, 255), outline=(30, 140, 90), width=4)
    d.rectangle([585, 236, 615, 264], fill=(30, 140, 90))
    d.rectangle([570, 242, 630, 258], fill=(30, 140, 90))
    for x in range(300, 900, 110):
        d.rectangle([x, 300, x + 70, 360], fill=(120, 170, 210))
    d.rectangle([560, 380, 640, 470], fill=(90, 120, 150))
    d.ellipse([1040, 40, 1120, 120], fill=(250, 240, 200))
    crowd(d, rnd, 560, 6, (380, 820))


def school(d, rnd):
    sky(d, (150, 200, 230), (230, 240, 250))
    d.rectangle([0, 470, W, H], fill=(110, 160, 90))
    d.rectangle([180, 230, 1020, 470], fill=(235, 210, 170))
    d.rectangle([180, 210, 1020, 240], fill=(150, 70, 50))
    for x in range(220, 1000, 95):
        d.rectangle([x, 280, x + 55, 340], fill=(110, 160, 200))
        d.rectangle([x, 380, x + 55, 440], fill=(110, 160, 200))
    d.line([(600, 80), (600, 210)], fill=(90, 90, 90), width=5)
    d.rectangle([600, 80, 680, 106], fill=(200, 30, 40))
    d.rectangle([600, 106, 680, 132], fill=(255, 255, 255))
    for i, c in enumerate([(40, 90, 160), (200, 140, 40), (60, 140, 80), (180, 60, 60)]):
        d.rectangle([80 + i * 40, 560 - i * 8, 112 + i * 40, 650], fill=c)
    crowd(d, rnd, 590, 7, (420, 1100))


def car_free_day(d, rnd):
    sky(d, (250, 200, 140), (250, 235, 200))
    skyline(d, rnd, 400, (200, 170, 140))
    trees(d, rnd, 420, 10)
    d.polygon([(0, H), (W, H), (760, 400), (440, 400)], fill=(90, 90, 95))
    d.polygon([(0, H), (260, H), (440, 400), (380, 400)], fill=(190, 180, 160))
    d.polygon([(W, H), (940, H), (760, 400), (820, 400)], fill=(190, 180, 160))
    for k in range(6):
        y = 420 + k * 45
        d.rectangle([596, y, 604, y + 22], fill=(240, 240, 240))
    crowd(d, rnd, 520, 22, (200, 1000))
    for _ in range(4):
        x, y = rnd.randint(300, 900), rnd.randint(590, 640)
        d.ellipse([x - 26, y, x + 4, y + 30], outline=(30, 30, 30), width=4)
        d.ellipse([x + 26, y, x + 56, y + 30], outline=(30, 30, 30), width=4)
        d.line([(x - 11, y + 15), (x + 15, y - 10), (x + 41, y + 15)], fill=(200, 40, 40), width=4)


def drainage(d, rnd):
    sky(d, (130, 150, 175), (200, 210, 220))
    skyline(d, rnd, 380, (150, 160, 170), hmax=200)
    d.rectangle([0, 380, W, H], fill=(150, 140, 120))
    d.polygon([(0, 520), (W, 470), (W, 560), (0, 610)], fill=(80, 110, 100))
    d.rectangle([720, 330, 940, 420], fill=(240, 180, 30))
    d.rectangle([760, 280, 860, 330], fill=(240, 180, 30))
    d.rectangle([770, 290, 850, 322], fill=(150, 190, 220))
    d.rectangle([700, 420, 960, 450], fill=(50, 50, 50))
    d.line([(720, 340), (560, 250), (480, 460)], fill=(230, 170, 20), width=18)
    d.polygon([(450, 450), (520, 450), (500, 500), (460, 500)], fill=(90, 90, 90))
    for i in range(8):
        person(d, 80 + i * 70, 560 + (i % 2) * 12, (240, 120, 30))


def market(d, rnd):
    sky(d, (170, 205, 230), (240, 240, 235))
    d.rectangle([0, 430, W, H], fill=(200, 190, 170))
    colours = [(200, 60, 60), (40, 120, 180), (230, 170, 40), (60, 150, 90)]
    for i, x in enumerate(range(40, W - 100, 290)):
        c = colours[i % 4]
        d.rectangle([x, 300, x + 250, 470], fill=(240, 235, 225))
        for k in range(5):
            d.polygon(
                [(x + k * 50, 260), (x + k * 50 + 50, 260), (x + k * 50 + 50, 300), (x + k * 50, 300)],
                fill=c if k % 2 == 0 else (250, 250, 250),
            )
        for k in range(4):
            d.rectangle([x + 20 + k * 56, 400, x + 66 + k * 56, 440], fill=(250, 248, 240), outline=(180, 170, 150))
            d.ellipse([x + 26 + k * 56, 388, x + 60 + k * 56, 410], fill=(235, 225, 200))
    crowd(d, rnd, 600, 14)


def service_van(d, rnd):
    sky(d, (150, 190, 225), (230, 240, 248))
    trees(d, rnd, 440, 7)
    d.rectangle([0, 440, W, H], fill=(170, 170, 165))
    d.rectangle([220, 250, 980, 440], fill=(245, 245, 245))
    d.rectangle([220, 250, 980, 275], fill=(70, 60, 140))
    d.rounded_rectangle([300, 330, 760, 500], radius=16, fill=(255, 255, 255), outline=(70, 60, 140), width=6)
    d.rectangle([680, 350, 750, 410], fill=(140, 180, 215))
    d.rectangle([320, 420, 660, 440], fill=(70, 60, 140))
    for cx in (380, 680):
        d.ellipse([cx - 38, 470, cx + 38, 546], fill=(35, 35, 35))
        d.ellipse([cx - 16, 492, cx + 16, 524], fill=(160, 160, 160))
    d.rectangle([820, 380, 960, 440], fill=(120, 90, 60))
    crowd(d, rnd, 600, 9, (780, 1150))


def workshop(d, rnd):
    d.rectangle([0, 0, W, H], fill=(236, 232, 224))
    d.rectangle([0, 0, W, 60], fill=(30, 110, 130))
    d.rectangle([380, 90, 820, 330], fill=(40, 45, 55))
    d.rectangle([396, 106, 804, 314], fill=(235, 245, 250))
    for k, c in enumerate([(230, 170, 40), (60, 150, 90), (40, 110, 170)]):
        d.rectangle([430 + k * 120, 200 - k * 40, 500 + k * 120, 300], fill=c)
    d.rectangle([0, 480, W, H], fill=(160, 120, 80))
    for x in range(120, W - 100, 240):
        d.rectangle([x, 420, x + 140, 490], fill=(60, 60, 70))
        d.rectangle([x + 10, 428, x + 130, 482], fill=(190, 220, 235))
        person(d, x + 70, 600, rnd.choice([(200, 60, 60), (40, 110, 170), (60, 150, 90)]), 1.3)


def aid_desk(d, rnd):
    d.rectangle([0, 0, W, H], fill=(240, 236, 228))
    d.rectangle([0, 0, W, 90], fill=(130, 45, 45))
    d.rectangle([100, 130, 1100, 330], fill=(255, 255, 255), outline=(200, 190, 180), width=3)
    for y in range(160, 310, 28):
        d.line([(140, y), (rnd.randint(500, 1050), y)], fill=(150, 150, 160), width=6)
    d.rectangle([0, 420, W, 470], fill=(150, 110, 70))
    for x in (250, 600, 950):
        person(d, x, 430, (40, 90, 150), 1.2)
    crowd(d, rnd, 620, 10)


def library(d, rnd):
    d.rectangle([0, 0, W, H], fill=(245, 238, 225))
    for shelf in range(4):
        y = 60 + shelf * 130
        d.rectangle([60, y + 100, W - 60, y + 112], fill=(120, 80, 50))
        x = 70
        while x < W - 80:
            w = rnd.randint(16, 34)
            h = rnd.randint(60, 98)
            d.rectangle(
                [x, y + 100 - h, x + w, y + 100],
                fill=rnd.choice(
                    [(160, 50, 50), (40, 90, 150), (60, 130, 80), (200, 150, 40), (90, 70, 130), (60, 60, 60)]
                ),
            )
            x += w + 3
    d.rectangle([0, 580, W, H], fill=(150, 110, 70))
    d.ellipse([980, 500, 1060, 580], fill=(250, 230, 150))


def app_launch(d, rnd):
    sky(d, (30, 70, 120), (70, 120, 170), horizon=H)
    skyline(d, rnd, H, (20, 45, 80), hmax=300)
    d.rounded_rectangle([470, 80, 730, 600], radius=34, fill=(20, 20, 25))
    d.rounded_rectangle([486, 120, 714, 560], radius=12, fill=(245, 248, 250))
    d.rectangle([486, 120, 714, 180], fill=(20, 70, 120))
    for k in range(4):
        y = 210 + k * 85
        d.rounded_rectangle(
            [506, y, 694, y + 66], radius=10, fill=[(230, 170, 40), (60, 150, 90), (200, 60, 60), (40, 110, 170)][k]
        )


def award(d, rnd):
    d.rectangle([0, 0, W, H], fill=(120, 30, 40))
    for x in range(0, W, 60):
        d.line([(x, 0), (x - 200, H)], fill=(135, 40, 50), width=20)
    d.rectangle([0, 520, W, H], fill=(90, 20, 30))
    d.polygon([(520, 150), (680, 150), (660, 300), (540, 300)], fill=(230, 180, 40))
    d.ellipse([520, 110, 680, 200], fill=(240, 195, 60))
    d.rectangle([585, 300, 615, 380], fill=(220, 170, 40))
    d.rectangle([530, 380, 670, 420], fill=(200, 150, 30))
    d.rectangle([500, 420, 700, 520], fill=(70, 50, 40))
    crowd(d, rnd, 620, 12)


SCENES = {
    "jembatan": bridge, "puskesmas": clinic, "beasiswa": school, "car-free-day": car_free_day,
    "saluran": drainage, "pasar-murah": market, "adminduk": service_van, "umkm": workshop,
    "bansos": aid_desk, "perpustakaan": library, "aplikasi": app_launch, "penghargaan": award,
}  # fmt: skip

LAMBANG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 140" role="img">
<title>Lambang Pemerintah Kota (contoh untuk demo)</title>
<path d="M60 4 114 20v46c0 36-24 58-54 70C30 124 6 102 6 66V20z" fill="#7a1f1f"/>
<path d="M60 12 106 26v40c0 31-20 50-46 61C34 116 14 97 14 66V26z" fill="#f4c542"/>
<path d="M60 20 98 32v34c0 26-17 42-38 52C39 108 22 92 22 66V32z" fill="#1b5e3a"/>
<path d="M22 76h76c-3 18-16 31-38 42C38 107 25 94 22 76z" fill="#1d4f91"/>
<path d="M24 86c12-6 24 6 36 0s24 6 36 0M28 98c10-5 22 5 32 0s22 5 32 0" stroke="#fff" stroke-width="3" fill="none"/>
<path d="M60 30l5 11h12l-10 7 4 12-11-7-11 7 4-12-10-7h12z" fill="#f4c542"/>
<path d="M36 72h48v-6H36zM42 66V56h6v10M57 66V52h6v14M72 66V56h6v10" fill="#fff"/>
</svg>
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in SCENES.items():
        rnd = random.Random(name)
        image = Image.new("RGB", (W, H), (184, 178, 160))
        draw(ImageDraw.Draw(image), rnd)
        image = image.filter(ImageFilter.SMOOTH)
        path = OUT / f"{name}.jpg"
        image.save(path, "JPEG", quality=82, optimize=True, progressive=True)
        print(path.name, path.stat().st_size // 1024, "KB")
    (OUT / "lambang.svg").write_text(LAMBANG)


if __name__ == "__main__":
    main()
