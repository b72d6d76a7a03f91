"""Crosspost: outbound posting of releases to social networks."""

__version__ = "0.1.0"
