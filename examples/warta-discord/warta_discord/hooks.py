"""The plugin's only hook: contribute the channel type."""

from cms import hookimpl


@hookimpl
def cms_crosspost_channels():
    from warta_discord.channel import DiscordWebhook

    return [DiscordWebhook]
