"""Deliveries and WhatsApp messages share one claim and one set of retry rules."""

from __future__ import annotations

import pytest


def test_retry_rules_are_shared():
    from plugins.crosspost import attempts

    assert attempts.retry_delay(3, 3, 5.0, 30, 600) is None  # used up, whatever was asked
    assert attempts.retry_delay(1, 3, 5.0, 30, 600) == 5.0  # the network asked
    assert 27 <= attempts.retry_delay(1, 3, None, 30, 600) <= 33
    assert 540 <= attempts.backoff(9, 30, 600) <= 660  # capped
    assert attempts.gave_up(4, "HTTP 500") == "Menyerah setelah 4 percobaan. HTTP 500"


@pytest.mark.parametrize("module", ["plugins.crosspost.delivery", "plugins.crosspost.whatsapp.sending"])
def test_both_senders_claim_through_the_shared_helper(module):
    import importlib
    import inspect

    source = inspect.getsource(importlib.import_module(module).claim)
    assert "attempts.claim(" in source
