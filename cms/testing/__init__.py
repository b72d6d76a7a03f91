"""Helpers for testing and measuring Warta from outside: real servers on
loopback (``servers``).  Standard library only at import time, so benches
and the test suite share them; meant to become the ``warta`` pytest plugin."""
