"""The README's way to read mail while trying Warta works as written: the
sink's port is the one given to MAIL_PORT, and MAIL_PORT is read from the
environment (a test SMTP server stands in for the sink)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_tells_how_to_see_mail_and_the_ports_agree():
    text = README.read_text(encoding="utf-8")
    section = text.split("### Melihat e-mail saat mencoba", 1)[1].split("\n## ", 1)[0]
    sink = re.search(r"python -m aiosmtpd -n -l 127\.0\.0\.1:(\d+)", section)
    run = re.search(r"MAIL_PORT=(\d+) make run", section)
    assert sink and run and sink.group(1) == run.group(1)


def test_mail_port_from_the_environment_reaches_the_sender(monkeypatch):
    from cms.config import PLAIN_ENV_KEYS, load_environment

    assert "MAIL_PORT" in PLAIN_ENV_KEYS
    monkeypatch.setenv("MAIL_PORT", "2526")
    config: dict = {"MAIL_PORT": 25}
    load_environment(config)
    assert int(config["MAIL_PORT"]) == 2526
