"""Backup and restore across installations with different data keys, and
the archive's protection (mode 0600, optional passphrase)."""

from __future__ import annotations

import os
import tarfile

from sqlalchemy import func, select

from cms.extensions import db
from tests.encrypted_data import add_encrypted_data, assert_all_readable, make_instance


def _backup(app, archive, *extra):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["cms", "backup", str(archive), *extra])
    assert result.exit_code == 0, result.output
    return result


def _source(make_app, monkeypatch, tmp_path):
    app = make_instance(make_app, monkeypatch, tmp_path, "a")
    with app.app_context():
        expected = add_encrypted_data()
    return app, expected


def _empty_target(make_app, monkeypatch, tmp_path, **config):
    app = make_instance(make_app, monkeypatch, tmp_path, "b", **config)
    with app.app_context():
        from cms import crypto

        crypto.encrypt("kunci B dibuat")  # B has a data key of its own
        db.drop_all()  # a truly empty installation: restore migrates it
    return app


def _restore(app, archive, *extra):
    with app.app_context():
        return app.test_cli_runner().invoke(args=["cms", "restore", str(archive), *extra])


def test_restore_into_an_instance_with_another_key_brings_the_backup_key(make_app, monkeypatch, tmp_path):
    source, expected = _source(make_app, monkeypatch, tmp_path)
    archive = tmp_path / "warta.tar.gz"
    _backup(source, archive)
    target = _empty_target(make_app, monkeypatch, tmp_path)
    b_instance = tmp_path / "b" / "instance"
    own_key = (b_instance / "data_key").read_bytes().strip()
    a_key = (tmp_path / "a" / "instance" / "data_key").read_bytes().strip()
    assert own_key != a_key

    result = _restore(target, archive)

    assert result.exit_code == 0, result.output
    assert "NIK: 6/6 terbaca; hash 6/6 cocok" in result.output
    assert "Berkas permohonan (identitas, jawaban): 6/6 terbaca" in result.output
    assert "Rahasia akun kanal: 1/1 terbaca" in result.output
    assert "E-mail pelanggan: 3/3 terbaca; hash 3/3 cocok" in result.output
    # the backup's key is installed, loudly, and B's own key is kept aside
    assert (b_instance / "data_key").read_bytes().strip() == a_key
    aside = [p for p in b_instance.iterdir() if p.name.startswith("data_key.before-restore-")]
    assert len(aside) == 1 and aside[0].read_bytes().strip() == own_key
    assert "dipasang dari cadangan" in result.output and aside[0].name in result.output
    assert (b_instance / "data_key").stat().st_mode & 0o777 == 0o600
    # private files come back readable by the owner only, in owner-only folders
    private = tmp_path / "b" / "private"
    assert {p.stat().st_mode & 0o777 for p in (private, private / "inbox")} == {0o700}
    assert {p.stat().st_mode & 0o777 for p in (private / "inbox").iterdir()} == {0o600}
    with target.app_context():
        assert_all_readable(expected)


def test_restore_refuses_when_its_pinned_key_cannot_read_the_backup(make_app, monkeypatch, tmp_path):
    from cryptography.fernet import Fernet

    from cms.models import User

    source, _ = _source(make_app, monkeypatch, tmp_path)
    archive = tmp_path / "warta.tar.gz"
    _backup(source, archive)
    target = _empty_target(make_app, monkeypatch, tmp_path, CMS_DATA_KEY=Fernet.generate_key().decode())

    result = _restore(target, archive)

    assert result.exit_code == 1
    assert "tidak terbaca dengan CMS_DATA_KEY instalasi ini" in result.output
    assert "NIK: 0/6 terbaca" in result.output and "Tidak ada yang dipulihkan" in result.output
    with target.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_backup_archive_is_owner_only_even_under_a_loose_umask(make_app, monkeypatch, tmp_path):
    source, _ = _source(make_app, monkeypatch, tmp_path)
    archive = tmp_path / "warta.tar.gz"
    archive.write_bytes(b"an older file")
    os.chmod(archive, 0o644)
    old_umask = os.umask(0o022)
    try:
        _backup(source, archive)
    finally:
        os.umask(old_umask)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert tarfile.is_tarfile(archive)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_passphrase_encrypts_the_whole_archive(make_app, monkeypatch, tmp_path):
    source, expected = _source(make_app, monkeypatch, tmp_path)
    archive, secret, wrong = tmp_path / "warta.enc", tmp_path / "sandi.txt", tmp_path / "salah.txt"
    secret.write_text("kuda-laut-berlari-pagi\n")
    wrong.write_text("kuda-laut-berlari-sore\n")
    _backup(source, archive, "--passphrase-file", str(secret))
    a_key = (tmp_path / "a" / "instance" / "data_key").read_bytes().strip()
    raw = archive.read_bytes()
    assert a_key not in raw and b"manifest.json" not in raw and not tarfile.is_tarfile(archive)
    assert archive.stat().st_mode & 0o777 == 0o600

    target = _empty_target(make_app, monkeypatch, tmp_path)
    missing = _restore(target, archive)
    assert missing.exit_code == 1 and "terenkripsi dengan kata sandi; berikan --passphrase-file" in missing.output
    bad = _restore(target, archive, "--passphrase-file", str(wrong))
    assert bad.exit_code == 1 and "Error: kata sandi salah" in bad.output
    cut = tmp_path / "cut.enc"
    cut.write_bytes(raw[:-40])
    truncated = _restore(target, cut, "--passphrase-file", str(secret))
    assert truncated.exit_code == 1 and "rusak" in truncated.output

    result = _restore(target, archive, "--passphrase-file", str(secret))
    assert result.exit_code == 0, result.output
    assert "NIK: 6/6 terbaca" in result.output
    with target.app_context():
        assert_all_readable(expected)


def test_backup_and_restore_report_bad_paths_and_damaged_archives_plainly(make_app, monkeypatch, tmp_path):
    source, _ = _source(make_app, monkeypatch, tmp_path)
    with source.app_context():
        result = source.test_cli_runner().invoke(args=["cms", "backup", str(tmp_path / "tidak-ada" / "w.tar.gz")])
    assert result.exit_code == 1 and "Error: cadangan tidak dapat ditulis" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)

    archive = tmp_path / "warta.tar.gz"
    _backup(source, archive)
    damaged = tmp_path / "rusak.tar.gz"
    raw = archive.read_bytes()
    damaged.write_bytes(raw[: len(raw) // 2])
    target = _empty_target(make_app, monkeypatch, tmp_path)
    result = _restore(target, damaged)
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert isinstance(result.exception, SystemExit)
