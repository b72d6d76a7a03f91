"""The wrk scripts of the benches draw a different sequence in each thread.

Seeded alike, wrk's two threads asked for the same item at the same moment,
so every second request found the page its twin had just put in the caches.
"""

from __future__ import annotations

import math
import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import lua_paths, run_wrk  # noqa: E402


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # wrk drops its connections when the time is up


@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk comes from apt")
def test_two_wrk_threads_do_not_request_the_same_paths_in_step(tmp_path):
    server = _Server(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        script = lua_paths([f"/p/{n}" for n in range(50_000)], tmp_path / "paths.lua")
        run_wrk(f"http://127.0.0.1:{server.server_port}/", connections=2, threads=2, duration=1, script=script)
    finally:
        server.shutdown()
    seen, space = _Recorder.seen, 50_000
    assert len(seen) > 200
    # n independent draws among 50,000 paths give about space * (1 - e^(-n/space))
    # distinct ones; two threads in step give only as many as n/2 draws.
    independent = space * (1 - math.exp(-len(seen) / space))
    assert len(set(seen)) / independent > 0.9, f"{len(set(seen))} distinct of {len(seen)}"
