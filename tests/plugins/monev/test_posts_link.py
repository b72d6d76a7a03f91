"""The releases-and-news figure links to the very posts it counts, a page a
PPID Pembantu (no newsroom access) may open for its own unit only."""

from __future__ import annotations

import html
import re

from cms import accounts
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset


def login(client, email, role, unit=None):
    accounts.create_user(email, role, PASSWORD, unit=unit)
    client.post("/logout")
    client.post("/login", data={"email": email, "password": PASSWORD})


def link_of(page: str, shown: str) -> str:
    """The href of the figure reading ``shown`` on a unit page."""
    return html.unescape(re.search(rf'<a href="([^"]+)">{re.escape(shown)}</a>', page).group(1))


def titles(page: str) -> list[str]:
    return re.findall(r'<td><a href="/[a-z-]+/[^"]+">(Naskah \d+)</a></td>', page)


def test_pembantu_opens_the_posts_its_figures_count(client, monev_app):
    period, units = dataset.build()  # Dinas A: 2 releases + 1 news published in 2025, 1 draft
    a = units["A"]
    login(client, "pembantu-a@x.test", "ppid_unit", a)
    page = client.get(f"/admin/monev/{period.id}/unit/{a.id}").get_data(as_text=True)
    both = client.get(link_of(page, "3 naskah"))
    assert both.status_code == 200
    assert len(titles(both.get_data(as_text=True))) == 3
    assert "3 naskah" in both.get_data(as_text=True)
    # The raw figures: releases and news apart.
    raw = re.search(r'<td>Siaran pers diterbitkan</td>\s*<td class="n"><a href="([^"]+)">2</a>', page)
    releases = client.get(html.unescape(raw.group(1))).get_data(as_text=True)
    assert len(titles(releases)) == 2 and "Siaran pers" in releases and "01-03-2025" in releases
    news = re.search(r'<td>Berita diterbitkan</td>\s*<td class="n"><a href="([^"]+)">1</a>', page)
    assert len(titles(client.get(html.unescape(news.group(1))).get_data(as_text=True))) == 1


def test_another_units_posts_are_refused(client, monev_app):
    _period, units = dataset.build()
    login(client, "pembantu-b@x.test", "ppid_unit", units["B"])
    url = f"/admin/monev/naskah?unit={units['A'].id}&dari=2025-01-01&sampai=2025-12-31"
    assert client.get(url).status_code == 403
    login(client, "utama@x.test", "ppid")
    assert len(titles(client.get(url).get_data(as_text=True))) == 3
    assert client.get(url.replace("2025-12-31", "nanti")).status_code == 404
    assert client.get(url + "&jenis=opini").status_code == 404
