"""WhatsApp to journalists: double opt-in subscriptions and release fan-out
through the WhatsApp Business Cloud API (see docs/crosspost.md)."""
