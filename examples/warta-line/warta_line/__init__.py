"""LINE Official Account: a Warta crosspost channel plugin."""

__version__ = "0.1.0"
