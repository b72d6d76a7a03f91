"""examples/warta-discord: a channel type added by an external package through its entry point."""

from __future__ import annotations

from datetime import UTC
from importlib import metadata

import pytest

from cms.extensions import db
from cms.plugins import notify
from tests import livesrv
from tests.conftest import PASSWORD
from tests.plugins.crosspost.conftest import DATA_KEY, deliveries
from tests.plugins.crosspost.fakes import FakeDiscord


@pytest.fixture(scope="module")
def installed_discord(tmp_path_factory):
    """pip-install examples/warta-discord into a private folder on sys.path."""
    with livesrv.installed_example("warta-discord", "warta_discord", tmp_path_factory.mktemp("site")) as target:
        yield target


@pytest.fixture
def discord():
    fake = FakeDiscord().start()
    yield fake
    fake.stop()


@pytest.fixture
def dapp(make_app, installed_discord):
    app = make_app(enabled=["crosspost", "discord"], CMS_DATA_KEY=DATA_KEY, CROSSPOST_HTTP_TIMEOUT=2)
    with app.app_context():
        yield app


def _admin_client(app):
    from cms import accounts

    user = accounts.create_user("admin-discord@warta.test", "admin", PASSWORD)
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    return client


def test_discord_channel_comes_from_the_entry_point(dapp):
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="cms.plugins")}
    assert eps["discord"] == "warta_discord.hooks"
    from plugins.crosspost import channels

    assert channels.available()["discord"].label == "Discord webhook"
    listing = dapp.test_cli_runner().invoke(args=["cms", "plugins"]).output
    assert "cms_crosspost_channels" in next(line for line in listing.splitlines() if line.startswith("discord"))


def test_not_enabled_means_no_discord_channel(make_app, installed_discord):
    app = make_app(enabled=["crosspost"], CMS_DATA_KEY=DATA_KEY)
    with app.app_context():
        from plugins.crosspost import channels

        assert "discord" not in channels.available()


def test_discord_account_connects_and_publishing_delivers(dapp, discord, make_post):
    client = _admin_client(dapp)
    assert "Discord webhook" in client.get("/admin/crosspost/accounts").get_data(as_text=True)
    webhook = discord.url + discord.hook_path
    response = client.post(
        "/admin/crosspost/accounts/new/discord",
        data={"name": "Discord Humas", "s_webhook_url": webhook, "s_guild_id": "999", "active": "y"},
        follow_redirects=True,
    )
    assert "Akun disimpan" in response.get_data(as_text=True)
    from plugins.crosspost.models import CrosspostAccount

    account = db.session.query(CrosspostAccount).one()
    html = client.post(f"/admin/crosspost/accounts/{account.id}/test", follow_redirects=True).get_data(as_text=True)
    assert "Koneksi berhasil: Humas (kanal 777)" in html

    from datetime import datetime

    post = make_post(status="published", published_at=datetime.now(UTC).replace(tzinfo=None))
    notify("cms_post_published", post=post)
    (row,) = deliveries(post_id=post.id)
    assert row.status == "sent" and row.remote_url == f"https://discord.com/channels/999/777/{row.remote_id}"
    sent = discord.posts[row.remote_id]
    assert post.title in sent["content"] and sent["embeds"][0]["url"].endswith(post.slug)
    assert sent["allowed_mentions"] == {"parse": []}

    post.title = "Ralat: " + post.title
    post.version += 1
    db.session.commit()
    notify("cms_post_updated", post=post)
    assert discord.posts[row.remote_id]["content"].startswith("Ralat:")


def test_discord_faults(dapp, discord):
    from warta_discord.channel import DiscordWebhook

    from plugins.crosspost.channels import Account, RetryLater, Unknown
    from plugins.crosspost.story import Story

    channel = DiscordWebhook()
    account = Account(1, "d", {"webhook_url": discord.url + discord.hook_path})
    message = channel.build_message(Story(ref="post:1", title="Judul", url="https://warta.test/x"))
    discord.faults.append("429")
    outcome = channel.send(message, account, "k")
    assert isinstance(outcome, RetryLater) and outcome.delay == 1.5
    discord.faults.append("timeout-after-save")
    assert isinstance(channel.send(message, account, "k"), Unknown)
    assert channel.length_errors("x" * 2001)
