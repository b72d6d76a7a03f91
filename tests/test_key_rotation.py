"""``flask cms rotate-data-key``: every declared column and file ends under
the new key only, also after an interruption midway."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from cms import hookimpl
from cms.extensions import db
from tests.encrypted_data import add_encrypted_data, assert_all_readable, make_instance


class Stop(Exception):
    pass


def _tokens():
    """Every encrypted value there is: (label, bytes)."""
    from cms.crypto import EncryptedFiles, registered
    from cms.storage import private_dir

    found = []
    for spec in registered():
        table = db.metadata.tables[spec.table]
        for (value,) in db.session.execute(select(table.c[spec.column])):
            if not value:
                continue
            if isinstance(spec, EncryptedFiles):
                path = private_dir(*spec.directory) / value
                found.append((spec.label, path.read_bytes()))
            else:
                found.append((spec.label, value.encode()))
    return found


def _readable_by(key: bytes) -> set[bool]:
    outcome = set()
    for _, token in _tokens():
        try:
            Fernet(key).decrypt(token)
            outcome.add(True)
        except InvalidToken:
            outcome.add(False)
    return outcome


def test_rotation_interrupted_midway_resumes_and_ends_under_the_new_key_only(make_app, monkeypatch, tmp_path):
    from cms.key_rotation import rotate

    app = make_instance(make_app, monkeypatch, tmp_path, "a")
    instance = tmp_path / "a" / "instance"
    with app.app_context():
        expected = add_encrypted_data(requests=7)
        old_key = (instance / "data_key").read_bytes().strip()
        assert _readable_by(old_key) == {True}

        calls = []

        def interrupt(label, done, total):
            calls.append((label, done))
            if len(calls) == 3:
                raise Stop  # as if the process were killed after its third batch

        with pytest.raises(Stop):
            rotate(report=interrupt, batch=2)
        new_key = (instance / "data_key").read_bytes().strip()
        assert new_key != old_key and (instance / "data_key.old").exists()
        assert _readable_by(new_key) == {True, False}  # half done
        assert_all_readable(expected)  # and the site reads everything meanwhile

        result = app.test_cli_runner().invoke(args=["cms", "rotate-data-key", "--batch-size", "3"])

    assert result.exit_code == 0, result.output
    assert "Melanjutkan rotasi" in result.output
    assert "NIK: 7/7 terbaca; hash 7/7 cocok" in result.output
    assert "Berkas permohonan (identitas, jawaban): 7/7 terbaca" in result.output
    assert "Rahasia akun kanal: 1/1 terbaca" in result.output
    assert not (instance / "data_key.old").exists() and not (instance / "data_key.progress").exists()
    assert (instance / "data_key").read_bytes().strip() == new_key
    with app.app_context():
        assert _readable_by(new_key) == {True} and _readable_by(old_key) == {False}
        assert_all_readable(expected)  # tracking codes and NIK look-ups: the hash key was pinned


def test_a_second_rotation_starts_afresh(make_app, monkeypatch, tmp_path):
    app = make_instance(make_app, monkeypatch, tmp_path, "a")
    instance = tmp_path / "a" / "instance"
    with app.app_context():
        expected = add_encrypted_data(requests=2)
        keys = []
        for _ in range(2):
            result = app.test_cli_runner().invoke(args=["cms", "rotate-data-key"])
            assert result.exit_code == 0, result.output
            assert "Memulai rotasi" in result.output
            keys.append((instance / "data_key").read_bytes().strip())
        assert keys[0] != keys[1] and _readable_by(keys[1]) == {True}
        assert_all_readable(expected)


def test_rotation_refuses_a_key_set_in_the_environment(make_app, monkeypatch, tmp_path):
    app = make_instance(make_app, monkeypatch, tmp_path, "a", CMS_DATA_KEY=Fernet.generate_key().decode())
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["cms", "rotate-data-key"])
    assert result.exit_code == 1
    assert "Error: kunci data diatur lewat CMS_DATA_KEY" in result.output


def test_hook_cms_encrypted_data(make_app, monkeypatch, tmp_path):
    """A plugin's declared column is re-encrypted and checked like core's."""
    from cms import crypto
    from cms.models.distribution import Journalist

    class NotesPlugin:
        @hookimpl
        def cms_encrypted_data(self):
            return [crypto.EncryptedColumn("Catatan rahasia", "feeds_journalist", "note")]

    monkeypatch.setenv("CMS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = make_app(plugins=[NotesPlugin()])
    with app.app_context():
        assert "Catatan rahasia" in [spec.label for spec in crypto.registered()]
        db.session.add(
            Journalist(
                name="Ani",
                email_enc=crypto.encrypt("ani@r.test"),
                email_hash=crypto.keyed_hash("ani@r.test", "feeds-email"),
                token_enc=crypto.encrypt("t"),
                token_hash=crypto.keyed_hash("t", "feeds-journalist"),
                note=crypto.encrypt("narasumber di dinas"),
            )
        )
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["cms", "rotate-data-key"])
        assert result.exit_code == 0, result.output
        assert "Catatan rahasia: 1/1 terbaca" in result.output
        new_key = (tmp_path / "instance" / "data_key").read_bytes().strip()
        note = db.session.scalar(select(Journalist.note))
        assert Fernet(new_key).decrypt(note.encode()) == b"narasumber di dinas"
