"""``/health`` for load balancers: database, Redis and worker heartbeat."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from cms import jobs
from cms.extensions import db

bp = Blueprint("health", __name__)

HEARTBEAT_STALE_SECONDS = 180


@bp.route("/health")
def health():
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - report, do not raise
        db.session.rollback()
        checks["database"] = "error"
    if current_app.config.get("REDIS_URL"):
        try:
            import redis

            redis.Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=1).ping()
            checks["redis"] = "ok"
        except Exception:  # noqa: BLE001
            checks["redis"] = "error"
    beat = jobs.last_heartbeat()
    if beat is None:
        checks["worker"] = "unknown"
    else:
        checks["worker"] = "ok" if time.time() - float(beat) < HEARTBEAT_STALE_SECONDS else "stale"
    healthy = all(v in ("ok", "unknown") for v in checks.values())
    return jsonify(status="ok" if healthy else "error", checks=checks), (200 if healthy else 503)
