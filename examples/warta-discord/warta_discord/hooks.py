"""The plugin's only hook: contribute the channel type."""

from cms.api import hookimpl


@hookimpl
def cms_crosspost_channels():
    from warta_discord.channel import DiscordWebhook

    return [DiscordWebhook]
