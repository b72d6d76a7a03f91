"""Example Warta plugin: a Discord webhook crosspost channel."""

__version__ = "0.1.0"
