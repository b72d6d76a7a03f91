"""Channel types: the bundled ones and any a plugin adds through the hook."""

from __future__ import annotations

from plugins.crosspost.channels.base import (
    Account,
    Channel,
    ChannelError,
    Failed,
    RetryLater,
    Sent,
    Setting,
    Skipped,
    Unknown,
    channel_call,
    connection_test,
)

__all__ = [
    "Account",
    "Channel",
    "ChannelError",
    "Failed",
    "RetryLater",
    "Sent",
    "Setting",
    "Skipped",
    "Unknown",
    "available",
    "get",
    "bundled",
    "channel_call",
    "connection_test",
]


def bundled() -> list[type[Channel]]:
    from plugins.crosspost.channels.bluesky import Bluesky
    from plugins.crosspost.channels.facebook import FacebookPage
    from plugins.crosspost.channels.instagram import Instagram
    from plugins.crosspost.channels.mastodon import Mastodon
    from plugins.crosspost.channels.telegram import Telegram
    from plugins.crosspost.channels.threads import Threads
    from plugins.crosspost.channels.webhook import Webhook
    from plugins.crosspost.channels.x import X

    return [Mastodon, Telegram, Bluesky, FacebookPage, X, Webhook, Instagram, Threads]


def available(app=None) -> dict[str, type[Channel]]:
    """Every channel type contributed through ``cms_crosspost_channels``, by key.

    A key offered by two plugins is refused (``PluginClash``): the account
    rows name their channel by key only, so the second class would receive
    the first one's decrypted secrets.  ``cms_app_ready`` calls this so the
    clash stops start-up.  The plugins are fixed once the app is built, so
    the answer is kept per app (every delivery asks)."""
    from flask import current_app, has_app_context

    if app is None and has_app_context():
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a LocalProxy, typed as Flask
    kept = app.extensions.get("crosspost_channels") if app is not None else None
    if kept is None:
        kept = _collect(app)
        if app is not None:
            app.extensions["crosspost_channels"] = kept
    return kept


def _collect(app) -> dict[str, type[Channel]]:
    from cms.api import Claims, as_list, contributions, manager

    claims, found = Claims("crosspost channel"), dict[str, type[Channel]]()
    for owner, result in contributions(manager(app), "cms_crosspost_channels"):
        for cls in as_list(result):
            if getattr(cls, "key", ""):
                claims.claim(cls.key, owner)
                found.setdefault(cls.key, cls)
    return found


def get(key: str) -> Channel | None:
    cls = available().get(key)
    return cls() if cls is not None else None
