"""Request ids, structured request logs and Prometheus metrics.

Logs carry the request id, the user id, the endpoint, status and duration —
never IP addresses, query strings or form data (they can hold personal data
such as tracking codes or NIKs).  Metrics are per process; behind several
gunicorn workers, scrape each or aggregate in Prometheus.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import defaultdict

from flask import Blueprint, Response, current_app, g, request, session

log = logging.getLogger("cms.request")
bp = Blueprint("observability", __name__)

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.buckets: dict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
        self.sums: dict[str, float] = defaultdict(float)

    def observe(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        with self.lock:
            self.requests[(endpoint, method, status)] += 1
            counts = self.buckets[endpoint]
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            counts[-1] += 1
            self.sums[endpoint] += seconds


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render_metrics(metrics: Metrics, gauges: dict[str, float]) -> str:
    lines = [
        "# HELP warta_http_requests_total HTTP requests by endpoint, method and status.",
        "# TYPE warta_http_requests_total counter",
    ]
    with metrics.lock:
        for (endpoint, method, status), n in sorted(metrics.requests.items()):
            lines.append(
                f'warta_http_requests_total{{endpoint="{_escape(endpoint)}",method="{method}",status="{status}"}} {n}'
            )
        lines += [
            "# HELP warta_http_request_duration_seconds Request latency.",
            "# TYPE warta_http_request_duration_seconds histogram",
        ]
        for endpoint, counts in sorted(metrics.buckets.items()):
            ep = _escape(endpoint)
            for bound, n in zip(BUCKETS, counts, strict=False):
                lines.append(f'warta_http_request_duration_seconds_bucket{{endpoint="{ep}",le="{bound}"}} {n}')
            lines.append(f'warta_http_request_duration_seconds_bucket{{endpoint="{ep}",le="+Inf"}} {counts[-1]}')
            lines.append(f'warta_http_request_duration_seconds_sum{{endpoint="{ep}"}} {metrics.sums[endpoint]:.6f}')
            lines.append(f'warta_http_request_duration_seconds_count{{endpoint="{ep}"}} {counts[-1]}')
    for name, value in sorted(gauges.items()):
        lines += [f"# TYPE {name} gauge", f"{name} {value}"]
    return "\n".join(lines) + "\n"


def init_app(app) -> None:
    app.extensions["cms_metrics"] = Metrics()
    if not app.testing and not log.handlers and app.config.get("CMS_REQUEST_LOG", True):
        # One JSON line per request on stderr (journald/gunicorn collect it).
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _start():
        g.request_started = time.perf_counter()
        g.request_id = request_id_from(request.headers.get("X-Request-ID", ""))

    @app.after_request
    def _finish(response):
        started = g.pop("request_started", None)
        if started is None:
            return response
        response.headers.setdefault("X-Request-ID", g.get("request_id", ""))
        record(
            app,
            g.get("request_id"),
            _user_id(),
            request.method,
            request.path,
            request.endpoint or "unmatched",
            response.status_code,
            time.perf_counter() - started,
        )
        return response


def request_id_from(incoming: str) -> str:
    """The proxy's ``X-Request-ID`` when it looks like one, else a new id."""
    if 8 <= len(incoming) <= 64 and incoming.isascii() and incoming.replace("-", "").isalnum():
        return incoming
    return uuid.uuid4().hex


def record(
    app, request_id: str | None, user_id: str | None, method: str, path: str, endpoint: str, status: int, seconds: float
) -> None:
    """Count the request in the metrics and write its JSON log line (also
    called by ``cms.cache.shared_cache`` for responses served before Flask)."""
    app.extensions["cms_metrics"].observe(endpoint, method, status, seconds)
    if endpoint != "static" and log.isEnabledFor(logging.INFO):
        log.info(
            json.dumps(
                {
                    "request_id": request_id,
                    "user_id": user_id,
                    "method": method,
                    "path": path,
                    "endpoint": endpoint,
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                }
            )
        )


def _user_id() -> str | None:
    """The signed-in user's id without loading the user just for the log
    (Flask-Login keeps the id in the session; a loaded user wins)."""
    user = g.get("_login_user")
    if user is not None:
        return str(user.id) if user.is_authenticated else None
    # "<user id>.<session id>.<secret>": the secret stays out of the log
    return (session.get("_user_id") or "").partition(".")[0] or None


@bp.route("/metrics")
def metrics():
    token = current_app.config.get("CMS_METRICS_TOKEN")
    if token:
        if request.headers.get("Authorization") != f"Bearer {token}":
            return Response("unauthorized\n", 401, mimetype="text/plain")
    elif request.remote_addr not in ("127.0.0.1", "::1"):
        return Response("forbidden\n", 403, mimetype="text/plain")
    from cms import jobs
    from cms.plugins import results

    gauges = {"warta_queue_pending": float(jobs.pending_count())}
    for plugin, extra in results("cms_metrics"):
        try:
            gauges.update({str(name): float(value) for name, value in (extra or {}).items()})
        except (TypeError, ValueError, AttributeError):
            logging.getLogger(__name__).error("plugin %s returned unusable metrics %r; left out", plugin, extra)
    body = render_metrics(current_app.extensions["cms_metrics"], gauges)
    return Response(body, mimetype="text/plain; version=0.0.4")
