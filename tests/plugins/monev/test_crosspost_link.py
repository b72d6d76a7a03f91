"""The crosspost figures link to the very deliveries they count, a read-only
page (served by the crosspost plugin) a PPID Pembantu may open for its own
unit only."""

from __future__ import annotations

import html
import re
from datetime import datetime

from cms.extensions import db
from tests.plugins.monev import dataset
from tests.plugins.monev.test_posts_link import login


def raw_link(page: str, label: str, shown: str) -> str:
    found = re.search(rf'<td>{re.escape(label)}</td>\s*<td class="n"><a href="([^"]+)">{shown}</a>', page)
    return html.unescape(found.group(1))


def refs(page: str) -> list[str]:
    return sorted(re.findall(r'<tr id="delivery-\d+"><td>(post:\d+)</td>', page))


def _noise(units):
    """Deliveries the figures must not count: another unit's, another year's, an edit."""
    from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery

    b = CrosspostAccount(channel="mastodon", name="Dinas B", unit_id=units["B"].id)
    a = db.session.scalar(db.select(CrosspostAccount).where(CrosspostAccount.unit_id == units["A"].id))
    db.session.add(b)
    db.session.flush()
    for ref, acct, action, when in (
        ("post:90", b, "create", datetime(2025, 3, 5)),
        ("post:91", a, "create", datetime(2024, 12, 31, 23)),
        ("post:92", a, "update", datetime(2025, 3, 6)),
    ):
        db.session.add(
            CrosspostDelivery(
                source_ref=ref,
                account_id=acct.id,
                status="sent",
                action=action,
                idempotency_key=ref,
                published_at=when,
            )
        )
    db.session.commit()


def test_pembantu_opens_the_deliveries_its_figures_count(client, monev_app):
    period, units = dataset.build()  # Dinas A: post:0 and post:2 sent, post:1 failed, March 2025
    _noise(units)
    a = units["A"]
    login(client, "pembantu-a@x.test", "ppid_unit", a)
    page = client.get(f"/admin/monev/{period.id}/unit/{a.id}").get_data(as_text=True)
    sent = client.get(raw_link(page, "Unggahan terkirim", "2"))
    assert sent.status_code == 200
    body = sent.get_data(as_text=True)
    assert refs(body) == ["post:0", "post:2"] and "2 unggahan" in body and "01-03-2025" in body
    assert refs(client.get(raw_link(page, "Unggahan gagal", "1")).get_data(as_text=True)) == ["post:1"]
    both = client.get(raw_link(page, "Unggahan terkirim atau gagal", "3")).get_data(as_text=True)
    assert refs(both) == ["post:0", "post:1", "post:2"]
    # Another unit's list is refused, even though the Pembantu may open its own.
    other = raw_link(page, "Unggahan terkirim", "2").replace(f"unit={a.id}", f"unit={units['B'].id}")
    assert client.get(other).status_code == 403


def test_another_units_deliveries_are_refused(client, monev_app):
    _period, units = dataset.build()
    _noise(units)
    login(client, "pembantu-b@x.test", "ppid_unit", units["B"])
    url = f"/admin/crosspost/terhitung?unit={units['A'].id}&dari=2025-01-01&sampai=2025-12-31"
    assert client.get(url).status_code == 403
    assert refs(client.get(url.replace(f"unit={units['A'].id}", f"unit={units['B'].id}")).get_data(as_text=True)) == [
        "post:90"
    ]
    login(client, "utama@x.test", "ppid")
    assert refs(client.get(url).get_data(as_text=True)) == ["post:0", "post:1", "post:2"]
    assert client.get(url.replace("2025-12-31", "nanti")).status_code == 404
    assert client.get(url + "&status=cancelled").status_code == 404
