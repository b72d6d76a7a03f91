"""The ``warta`` pytest plugin's fixtures, as a plugin author uses them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cms.testing.clock import WORKING_DAY


@pytest.fixture
def warta_plugins():
    return ["dip"]


def test_app_enables_the_chosen_plugins(warta_app):
    assert warta_app.config["CMS_PLUGINS"] == ["dip"]
    pm = warta_app.extensions["cms"]
    assert pm.get_plugin("dip") is not None and pm.get_plugin("inbox") is None


def test_users_for_each_role_and_signed_in_clients(warta_users, warta_clients):
    assert warta_users["ppid_unit"].unit.name == "Dinas Uji"
    assert warta_users["editor"].role == "editor"
    assert warta_clients["admin"].get("/admin/").status_code == 200
    assert warta_clients["writer"].get("/admin/users").status_code == 403
    with pytest.raises(KeyError, match="no role 'boss'"):
        warta_users["boss"]


def test_anonymous_client_is_sent_to_login(warta_client):
    assert "/login" in warta_client.get("/admin/").headers["Location"]


def test_mail_catcher_receives_real_smtp(warta_app, warta_mail):
    from cms.api import enqueue_mail

    enqueue_mail("warga@contoh.id", "Uji surel", "Isi surel uji.")
    (message,) = warta_mail.to("warga@contoh.id")
    assert message["Subject"] == "Uji surel" and "Isi surel uji." in warta_mail.body(message)


def test_http_recorder_keeps_requests_and_answers_as_told(warta_http):
    import httpx

    warta_http.reply("/kirim", 429, {"retry_after": 2}, times=1)
    warta_http.reply("/kirim", 201, {"id": "m1"})
    first = httpx.post(
        warta_http.url + "/kirim?wait=true", json={"teks": "halo"}, headers={"Authorization": "Bearer t"}
    )
    second = httpx.post(warta_http.url + "/kirim", json={"teks": "lagi"})
    assert (first.status_code, second.status_code, second.json()) == (429, 201, {"id": "m1"})
    sent = warta_http.requests[0]
    assert sent.method == "POST" and sent.query == {"wait": "true"} and sent.json() == {"teks": "halo"}
    assert sent.headers["authorization"] == "Bearer t" and warta_http.last("/kirim").json() == {"teks": "lagi"}


def test_clock_is_frozen_on_a_working_day(warta_clock):
    from plugins.inbox.workdays import is_working_day

    assert datetime.now(UTC) == WORKING_DAY == warta_clock.now
    assert is_working_day(WORKING_DAY.date())
    assert warta_clock.advance(days=1) == datetime(2026, 2, 5, 3, 0, tzinfo=UTC)


def test_http_recorder_answers_once_then_the_standing_answer(warta_http):
    import httpx

    def status(path="/kirim"):
        return httpx.post(warta_http.url + path, json={}).status_code

    warta_http.reply("/kirim", 429, times=1)  # no standing answer yet: then the default
    warta_http.reply("/kirim", 503, times=1)  # queued after the 429, in the order given
    assert (status(), status(), status()) == (429, 503, 200)
    warta_http.reply("/kirim", 201)
    warta_http.reply("/kirim", 502)  # replaces the standing answer
    assert (status(), status()) == (502, 502)
