"""Inbox: permohonan informasi, keberatan and sengketa (UU KIP)."""

__version__ = "0.1.0"
