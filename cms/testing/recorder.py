"""A local HTTP server that records every request: the other end of a
crosspost channel (or any outgoing call) in tests, over a real socket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from cms.testing.servers import in_thread


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Reply:
    status: int = 200
    body: Any = field(default_factory=dict)  # dict/list → JSON, str/bytes as is
    headers: dict[str, str] = field(default_factory=dict)


class Recorder:
    """``recorder.url``; ``recorder.requests``; ``recorder.reply(path, status, body)``
    sets the answer for a path (method-independent; default 200 ``{}``)."""

    def __init__(self) -> None:
        self.url = ""
        self.requests: list[Recorded] = []
        self._standing: dict[str, Reply] = {}
        self._once: dict[str, list[Reply]] = {}

    def reply(self, path: str, status: int = 200, body: Any = None, headers: dict[str, str] | None = None, times=0):
        """Answer ``path`` so from now on, replacing its previous answer; with
        ``times`` only the next that many requests, in the order given, then
        the standing answer again (200 ``{}`` if none): a 429 once, then success."""
        entry = Reply(status, {} if body is None else body, headers or {})
        if times:
            self._once.setdefault(path, []).extend([entry] * times)
        else:
            self._standing[path] = entry

    def _answer(self, path: str) -> Reply:
        once = self._once.get(path)
        if once:
            return once.pop(0)
        return self._standing.get(path) or Reply()

    def last(self, path: str | None = None) -> Recorded:
        found = [r for r in self.requests if path is None or r.path == path]
        assert found, f"no request to {path or 'the recorder'}; got {[r.path for r in self.requests]}"
        return found[-1]


def _handler(recorder: Recorder):
    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            parts = urlsplit(self.path)
            recorder.requests.append(
                Recorded(
                    self.command,
                    parts.path,
                    dict(parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
            )
            answer = recorder._answer(parts.path)
            body = answer.body
            if isinstance(body, (dict, list)):
                data, kind = json.dumps(body).encode(), "application/json"
            else:
                data, kind = (body.encode() if isinstance(body, str) else body), "text/plain; charset=utf-8"
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.headers.get("Content-Type", kind))
            for name, value in answer.headers.items():
                if name != "Content-Type":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def recording_server() -> Iterator[Recorder]:
    recorder = Recorder()
    with in_thread(ThreadingHTTPServer(("127.0.0.1", 0), _handler(recorder))) as base:
        recorder.url = base
        yield recorder
