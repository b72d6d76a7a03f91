"""Testing Warta and its plugins: the ``warta`` pytest plugin (``plugin``,
registered through the ``pytest11`` entry point) and the pieces it is made
of, usable without pytest — ``app`` (a hermetic app per test), ``users``,
``mail`` (the aiosmtpd catcher), ``recorder`` (an HTTP server that records
requests), ``clock`` (frozen working-day time) and ``servers`` (Warta's real
stack on loopback, shared with the benches).  Install with
``pip install warta[testing]``."""
