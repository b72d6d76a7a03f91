"""The helpers every channel shares: calls, connection tests, error statuses, Graph API errors."""

from __future__ import annotations

import re

import httpx
import pytest

from plugins.crosspost.channels import Account, Channel, ChannelError, Failed, RetryLater, connection_test
from plugins.crosspost.channels.meta import GraphError, graph_error, reply_error
from plugins.crosspost.http import MalformedReply, NotSent, Reply


class Probe(Channel):
    key, label = "probe", "Probe"

    def __init__(self, fault):
        self.fault = fault

    @connection_test
    def test_connection(self, account):
        raise self.fault


def reply(status, body=b"", **headers):
    return Reply(status, httpx.Headers(headers), body)


@pytest.mark.parametrize(
    "fault, reason",
    [
        (NotSent("tidak dapat terhubung: ConnectError"), "tidak dapat terhubung: ConnectError"),
        (MalformedReply("balasan bukan JSON yang sah (HTTP 200)"), "balasan bukan JSON yang sah (HTTP 200)"),
        (KeyError("username"), "'username'"),
    ],
)
def test_connection_test_turns_faults_into_a_reason_for_the_admin(fault, reason):
    with pytest.raises(ChannelError, match=re.escape(reason)):
        Probe(fault).test_connection(Account(id=1, name="x", settings={}))


def test_connection_test_lets_other_errors_through():
    with pytest.raises(ZeroDivisionError):
        Probe(ZeroDivisionError()).test_connection(Account(id=1, name="x", settings={}))


def test_refused_token_and_rate_limit_read_the_same_for_posts_and_uploads():
    channel = Probe(None)
    posted = channel.http_outcome(reply(401), "bad token")
    uploaded = channel.media_failure(reply(401), "bad token")
    assert isinstance(posted, Failed) and posted.reconnect
    assert posted.reason == "Ditolak oleh Probe (HTTP 401): bad token. Periksa token akun."
    assert isinstance(uploaded, Failed) and uploaded.reconnect
    assert uploaded.reason == (
        "Ditolak oleh Probe saat mengunggah gambar (HTTP 401): bad token. Periksa token dan izin unggah media akun."
    )
    forbidden = channel._denied(reply(403), "scope")
    assert isinstance(forbidden, Failed) and not forbidden.reconnect
    slow = channel._denied(reply(429, **{"retry-after": "7"}), "slow", upload=True)
    assert isinstance(slow, RetryLater) and slow.delay == 7.0
    assert slow.reason == "Batas laju unggah gambar Probe: slow"
    assert channel._denied(reply(500), "boom") is None


def test_graph_error_reads_meta_error_objects():
    body = {"error": {"code": "190", "message": "Session expired", "error_user_msg": "Masuk lagi"}}
    assert graph_error(body) == GraphError(190, "Session expired", "Masuk lagi")
    assert graph_error(body).text(400) == "Masuk lagi"
    assert graph_error({"error": {"code": "x", "message": "odd"}}) == GraphError(0, "odd", "")
    assert graph_error({"error": {}}) is None
    assert graph_error({"error": "text"}) is None
    assert graph_error(["not", "a", "dict"]) is None
    assert GraphError().text(502) == "HTTP 502"


def test_reply_error_falls_back_to_the_status():
    assert reply_error(reply(400, b'{"error": {"code": 100, "message": "Invalid"}}')) == (100, "Invalid")
    assert reply_error(reply(502, b"<html>bad gateway</html>")) == (0, "HTTP 502")
    assert reply_error(reply(500, b'{"ok": false}')) == (0, "HTTP 500")
