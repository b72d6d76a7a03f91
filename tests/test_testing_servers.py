"""cms.testing.servers, the one way tests and benches start a server on
loopback, wait for it and stop it."""

from __future__ import annotations

import signal
import smtplib
import socket
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cms.testing import servers


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        self.send_response(200)
        self.send_header("X-Hello", "dunia")
        self.end_headers()
        self.wfile.write(b"halo")

    def log_message(self, *args):
        pass


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_in_thread_serves_until_the_block_ends_and_fetch_reads_it():
    with servers.in_thread(ThreadingHTTPServer(("127.0.0.1", 0), _Hello)) as base:
        servers.wait_http(base + "/")
        status, headers, body = servers.fetch(base + "/")
        assert (status, headers["x-hello"], body) == (200, "dunia", b"halo")
        port = int(base.rsplit(":", 1)[1])
    assert not _listening(port)


def test_wait_http_gives_up_at_once_when_the_server_process_exits():
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    with pytest.raises(RuntimeError, match="exited with 3"):
        servers.wait_http(f"http://127.0.0.1:{servers.free_port()}/", process, timeout=60)


def test_stop_kills_a_process_that_ignores_the_polite_signal():
    code = "import signal as s, time; s.signal(s.SIGTERM, s.SIG_IGN); print('ready', flush=True); time.sleep(60)"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "ready\n"  # the handler is installed
    assert servers.stop(process, timeout=0.5) == -signal.SIGKILL
    process.stdout.close()


def test_smtp_server_hands_each_mail_to_the_handler():
    class Box:
        mails: list[bytes] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            self.mails.append(envelope.content)
            return "250 OK"

    box = Box()
    with servers.smtp_server(box) as controller:
        with smtplib.SMTP("127.0.0.1", controller.port) as smtp:
            smtp.sendmail("ppid@warta.test", ["warga@warta.test"], b"Subject: Uji\r\n\r\nIsi surat.\r\n")
        assert b"Isi surat." in box.mails[0]
    assert not _listening(controller.port)
