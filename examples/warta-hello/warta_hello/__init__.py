"""Example Warta plugin."""

__version__ = "0.2.0"
