"""Feeds build in threads without switching the process's locale.

feedgen formatted each RSS date between ``setlocale(LC_ALL, "C")`` and a
``setlocale`` back: process-wide, so two threads building feeds raced each
other and any thread formatting dates meanwhile.
"""

from __future__ import annotations

import locale
import re
import threading
from datetime import datetime, timedelta
from email.utils import format_datetime

from cms.feeds import build as feeds
from tests.feeds.test_builder import channel, item

RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0700"
)


def test_two_languages_build_concurrently_with_right_dates_and_no_locale_switch(monkeypatch):
    switches = []
    real_setlocale = locale.setlocale

    def watched(category, value=None):
        if value is not None:
            switches.append((threading.current_thread().name, value))
        return real_setlocale(category, value)

    monkeypatch.setattr(locale, "setlocale", watched)
    languages = {"id": channel(language="id"), "en": channel(language="en", title="Warta City")}
    items = {
        "id": [item(i, published=datetime(2024, 3, 7, 3, 0) - timedelta(days=i)) for i in range(1, 40)],
        "en": [item(i, published=datetime(2025, 8, 1, 12, 30) - timedelta(hours=7 * i)) for i in range(1, 40)],
    }
    outputs: dict[str, list[bytes]] = {"id": [], "en": []}
    start = threading.Barrier(4)

    def build(lang: str) -> None:
        start.wait()
        for n in range(15):
            # Fresh entries each time (the entry cache would skip the dates).
            fresh = [item(k, published=i.published, title=f"{i.title} {n}") for k, i in enumerate(items[lang], 1)]
            outputs[lang].append(feeds.render("rss", languages[lang], fresh))

    threads = [threading.Thread(target=build, args=(lang,), name=lang) for lang in ("id", "en", "id", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert switches == []
    for lang, built in outputs.items():
        expected = [format_datetime(feeds.to_wib(i.published)) for i in items[lang]]
        assert len(built) == 30
        for body in built:
            text = body.decode()
            assert f"<language>{lang}</language>" in text
            dates = re.findall(r"<pubDate>([^<]*)</pubDate>", text)
            assert dates == expected
            assert all(RFC822.fullmatch(d) for d in dates)
