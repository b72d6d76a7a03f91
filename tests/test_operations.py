"""Operations: backup/restore round-trip, health, metrics, request logs."""

from __future__ import annotations

import json
import logging
import tarfile

from sqlalchemy import func, inspect, select

from cms import hookimpl
from cms.accounts import authenticate
from cms.extensions import db
from tests.conftest import PASSWORD


def _row_counts() -> dict[str, int]:
    existing = set(inspect(db.engine).get_table_names())
    return {
        t.name: db.session.scalar(select(func.count()).select_from(t))
        for t in db.metadata.sorted_tables
        if t.name in existing and t.name != "alembic_version"
    }


def test_backup_and_restore_round_trip_into_an_empty_installation(make_app, tmp_path):
    source = make_app(
        enabled=["inbox", "dip", "crosspost"],
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'source.db'}",
        CMS_MEDIA_DIR=str(tmp_path / "src-media"),
        CMS_PRIVATE_DIR=str(tmp_path / "src-private"),
    )
    archive = tmp_path / "warta-backup.tar.gz"
    with source.app_context():
        from cms import accounts, storage

        unit = accounts.create_unit("Dinas Komunikasi dan Informatika")
        accounts.create_user("ppid@kota.go.id", "ppid_unit", PASSWORD, unit=unit, name="Budi Santoso")
        result = source.test_cli_runner().invoke(args=["cms", "demo"])
        assert result.exit_code == 0, result.output
        (storage.media_dir() / "foto.jpg").write_bytes(b"\xff\xd8jpeg-bytes")
        (storage.private_dir("inbox") / "ktp.bin").write_bytes(b"encrypted")
        before = _row_counts()
        result = source.test_cli_runner().invoke(args=["cms", "backup", str(archive)])
        assert result.exit_code == 0, result.output
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert "media/foto.jpg" in names and "private/inbox/ktp.bin" in names
    assert manifest["tables"]["user_account"] == before["user_account"]

    target = make_app(
        enabled=["inbox", "dip", "crosspost"],
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'target.db'}",
        CMS_MEDIA_DIR=str(tmp_path / "dst-media"),
        CMS_PRIVATE_DIR=str(tmp_path / "dst-private"),
    )
    with target.app_context():
        db.drop_all()  # a truly empty installation: restore migrates it
        result = target.test_cli_runner().invoke(args=["cms", "restore", str(archive)])
        assert result.exit_code == 0, result.output
        after = _row_counts()
        for table, count in before.items():
            assert after.get(table) == count, table
        user = authenticate("ppid@kota.go.id", PASSWORD)
        assert user is not None and user.unit.name == "Dinas Komunikasi dan Informatika"
        assert (tmp_path / "dst-media" / "foto.jpg").read_bytes() == b"\xff\xd8jpeg-bytes"
        assert (tmp_path / "dst-private" / "inbox" / "ktp.bin").read_bytes() == b"encrypted"
        # a second restore is refused: the installation is no longer empty
        again = target.test_cli_runner().invoke(args=["cms", "restore", str(archive)])
        assert again.exit_code == 1 and "not empty" in again.output


def test_restore_rejects_a_file_that_is_not_a_backup(runner, tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = runner.invoke(args=["cms", "restore", str(bogus)])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: not a Warta backup archive")


def test_hook_cms_metrics(make_app):
    class P:
        @hookimpl
        def cms_metrics(self):
            return {"warta_testp_things": 3}

    client = make_app(plugins=[P()]).test_client()
    client.get("/")
    client.get("/tidak-ada")
    body = client.get("/metrics").get_data(as_text=True)
    assert "warta_testp_things 3.0" in body
    assert 'warta_http_requests_total{endpoint="public.home",method="GET",status="200"} 1' in body
    assert 'warta_http_requests_total{endpoint="unmatched",method="GET",status="404"} 1' in body
    assert 'warta_http_request_duration_seconds_count{endpoint="public.home"} 1' in body
    assert "warta_queue_pending" in body


def test_metrics_need_loopback_or_token(make_app):
    app = make_app()
    assert app.test_client().get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 403
    app = make_app(CMS_METRICS_TOKEN="rahasia")
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer rahasia"}).status_code == 200


def test_request_log_is_structured_and_free_of_personal_data(client, caplog):
    caplog.set_level(logging.INFO, logger="cms.request")
    response = client.get(
        "/login?kode=RAHASIA123", headers={"X-Request-ID": "abcdef123456"}, environ_base={"REMOTE_ADDR": "203.0.113.9"}
    )
    assert response.headers["X-Request-ID"] == "abcdef123456"
    line = json.loads([r.getMessage() for r in caplog.records if r.name == "cms.request"][-1])
    assert line["request_id"] == "abcdef123456" and line["path"] == "/login" and line["status"] == 200
    text = json.dumps(line)
    assert "RAHASIA123" not in text and "203.0.113.9" not in text


def test_request_id_generated_when_absent_or_invalid(client):
    rid = client.get("/", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert len(rid) == 32 and rid.isalnum()


def test_health_reports_stale_worker_as_error(app, client):
    import time

    app.extensions["cms_jobs"].huey.put("cms:worker-heartbeat", time.time() - 3600)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json()["checks"]["worker"] == "stale"
