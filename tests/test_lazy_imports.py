"""A web worker that served every public page type has not imported the
libraries only the CLI, jobs, exports or admin paths need (issue #24,
memory per worker): each one is megabytes resident in every worker.

Runs in fresh interpreters: the suite's own process has imported everything.
The demo is seeded in one (seeding publishes, which enqueues jobs and
processes pictures), then another builds the app and serves the pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

DEFERRED = {
    "flask_migrate": "Flask-Migrate (with alembic, mako, pygments): flask db, cms init, restore",
    "alembic": "idem",
    "huey": "the job queue: imported at the first enqueue or /health",
    "redis": "imported by huey's storage module unless cms.job_storage hides it",
    "psycopg": "idem (SQLite here)",
    "pypdf": "e-Monev evidence PDFs",
    "httpx": "crosspost's outbound requests",
    "icalendar": "a journalist's embargo calendar",
    "vobject": "press contacts' vCards",
    "PIL": "uploads, media kits, cross-post pictures",
    "regex": "crosspost's grapheme counting",
    "phonenumbers": "phone fields of forms (and a press contact's WhatsApp link)",
    "cryptography": "cms.crypto: the first encryption or decryption (6 MiB with its OpenSSL)",
    "sqlalchemy.dialects.postgresql": "a release number's upsert on PostgreSQL (4.5 MiB on SQLite)",
}

SCRIPT = textwrap.dedent("""
    import json, re, sys
    from cms import create_app
    from cms.extensions import db
    from cms.config import BUNDLED_PLUGINS
    from cms.testing.app import base_config

    tmp, step = sys.argv[1], sys.argv[2]
    config = base_config(__import__("pathlib").Path(tmp), CMS_PLUGINS=list(BUNDLED_PLUGINS),
                         SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/warta.db")
    app = create_app(config)
    if step == "seed":
        from cms.newsroom.demo import load_demo
        with app.app_context():
            db.create_all()
            load_demo()
            db.session.commit()
        sys.exit(0)
    client = app.test_client()
    todo = ["/", "/cari?q=banjir", "/feeds/rss.xml", "/feeds/atom.xml", "/sitemap.xml", "/sitemap-1.xml",
            "/berita/", "/siaran-pers/", "/robots.txt", "/media", "/ppid/", "/ppid/permohonan",
            "/ppid/permohonan/lacak", "/ppid/keberatan", "/ppid/dip", "/ppid/dik", "/api/v1/openapi.json"]
    seen, answers = set(), {}
    while todo and len(seen) < 200:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        answers[url] = response.status_code
        if response.mimetype == "text/html":
            for link in re.findall(r'href="(/[^"#]*)"', response.get_data(as_text=True)):
                rare = link.startswith(("/admin", "/static", "/media/", "/login", "/logout"))
                if not rare and not link.endswith((".xlsx", ".vcf", ".ics", ".pdf", ".zip")):
                    todo.append(link)
    def top(names):  # top-level modules, and which database dialects
        return sorted(m for m in names if "." not in m or m.startswith("sqlalchemy.dialects."))
    modules = top(sys.modules)
    health = client.get("/health")  # a load balancer's probe: reads the queue consumer's heartbeat
    print(json.dumps({"answers": answers, "modules": modules, "health": health.get_json(),
                      "after_health": top(sys.modules),
                      "optimize": sys.flags.optimize}))
""")


def run(tmp_path: Path, step: str, **environ: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **environ}
    for key in ("DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), step],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_public_pages_do_not_import_what_only_rare_paths_need(tmp_path):
    run(tmp_path, "seed")
    served = json.loads(run(tmp_path, "serve").stdout.strip().splitlines()[-1])
    answers = served["answers"]
    ok = [url for url, status in answers.items() if status == 200]
    assert len(ok) >= 30, answers  # the home page, lists, items, feeds, sitemaps, search, plugin pages
    assert {"/", "/cari?q=banjir", "/feeds/rss.xml", "/sitemap.xml", "/berita/"} <= set(ok)
    assert not [url for url, status in answers.items() if status >= 500], answers
    loaded = {name: why for name, why in DEFERRED.items() if name in served["modules"]}
    assert loaded == {}
    assert {"flask", "sqlalchemy", "jinja2", "sqlalchemy.dialects.sqlite"} <= set(served["modules"])  # this process
    # /health builds the SQLite queue (huey) to read the heartbeat, without
    # the redis, cryptography and psycopg huey would import if let (22 MiB).
    assert served["health"]["checks"]["database"] == "ok"
    loaded = {name: why for name, why in DEFERRED.items() if name in served["after_health"]}
    assert loaded == {"huey": DEFERRED["huey"]}


def test_public_pages_work_without_docstrings_and_asserts(tmp_path):
    """deploy/systemd/warta-web.service runs gunicorn with PYTHONOPTIMIZE=2
    (6 MiB less per worker): every public page type still answers."""
    assert "Environment=PYTHONOPTIMIZE=2" in (ROOT / "deploy/systemd/warta-web.service").read_text()
    run(tmp_path, "seed")
    served = json.loads(run(tmp_path, "serve", PYTHONOPTIMIZE="2").stdout.strip().splitlines()[-1])
    assert served["optimize"] == 2
    answers = served["answers"]
    assert len([url for url, status in answers.items() if status == 200]) >= 30, answers
    assert not [url for url, status in answers.items() if status >= 500], answers
    assert served["health"]["checks"]["database"] == "ok"


HUEY_SCRIPT = textwrap.dedent("""
    import sys
    from cms import job_storage

    print(sorted(name for name in ("redis", "psycopg", "cryptography") if name in sys.modules))
    queue = job_storage.sqlite_huey(sys.argv[1], "NORMAL")
    queue.put("heartbeat", 12.5)
    print(queue.get("heartbeat", peek=True))
    import redis  # importable again after huey's import

    remote = job_storage.redis_huey("redis://127.0.0.1:9/0")  # no connection until used
    print(type(remote.storage).__name__, type(remote.storage.conn).__module__.split(".")[0])
""")


def test_the_sqlite_queue_leaves_out_redis_and_psycopg_and_a_redis_queue_still_works(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", HUEY_SCRIPT, str(tmp_path / "huey.db")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[:3] == ["[]", "12.5", "RedisStorage redis"]
