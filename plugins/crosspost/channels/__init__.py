"""Channel types: the bundled ones and any a plugin adds through the hook."""

from __future__ import annotations

from plugins.crosspost.channels.base import (Account, Channel, ChannelError, Failed, RetryLater,
                                             Sent, Setting, Unknown)

__all__ = ["Account", "Channel", "ChannelError", "Failed", "RetryLater", "Sent", "Setting",
           "Unknown", "available", "get", "bundled"]


def bundled() -> list[type[Channel]]:
    from plugins.crosspost.channels.bluesky import Bluesky
    from plugins.crosspost.channels.facebook import FacebookPage
    from plugins.crosspost.channels.mastodon import Mastodon
    from plugins.crosspost.channels.telegram import Telegram
    from plugins.crosspost.channels.webhook import Webhook
    from plugins.crosspost.channels.x import X

    return [Mastodon, Telegram, Bluesky, FacebookPage, X, Webhook]


def available() -> dict[str, type[Channel]]:
    """Every channel type contributed through ``cms_crosspost_channels``, by key."""
    from cms.plugins import hook

    found: dict[str, type[Channel]] = {}
    for result in hook().cms_crosspost_channels():
        for cls in result or []:
            if getattr(cls, "key", "") and cls.key not in found:
                found[cls.key] = cls
    return found


def get(key: str) -> Channel | None:
    cls = available().get(key)
    return cls() if cls is not None else None
