"""The documented nginx site in front of gunicorn, on loopback."""

from __future__ import annotations

import re

import httpx
import pytest

from tests import livesrv


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stack")
    env = livesrv.site_env(tmp, CMS_PROXY_COUNT=1)
    livesrv.migrate(env)
    with livesrv.gunicorn(env) as upstream, livesrv.nginx(upstream, tmp) as base:
        yield base


def test_public_pages_are_micro_cached(stack):
    first = httpx.get(stack + "/login")
    assert first.status_code == 200 and 'name="password"' in first.text
    statuses = {httpx.get(stack + "/").headers["X-Cache-Status"] for _ in range(5)}
    assert "HIT" in statuses or "UPDATING" in statuses


def test_signed_in_staff_bypass_the_cache(stack):
    response = httpx.get(stack + "/", cookies={"session": "anything"})
    assert response.headers["X-Cache-Status"] == "BYPASS"


def test_static_files_come_from_nginx_with_long_cache(stack):
    page = httpx.get(stack + "/login").text
    css = re.search(r'href="(/static/warta\.css\?v=[0-9a-f]+)"', page).group(1)
    response = httpx.get(stack + css)
    assert response.status_code == 200 and "--brand" in response.text
    assert "immutable" in response.headers["Cache-Control"]
    assert "X-Cache-Status" not in response.headers  # not proxied


def test_oversized_upload_is_refused_by_nginx(stack):
    response = httpx.post(stack + "/login", content=b"x" * (71 * 1024 * 1024),
                          headers={"Content-Type": "application/octet-stream"})
    assert response.status_code == 413


def test_metrics_are_loopback_only_and_health_passes_through(stack):
    assert httpx.get(stack + "/health").json()["checks"]["database"] == "ok"
    assert httpx.get(stack + "/metrics").status_code == 200  # we are on loopback
