"""Backups the site can be restored from (manage.py backup / restore, docs/operations.md)."""

import hashlib
import io
import json
import sqlite3
import tarfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cityhall.core import backup as backup_module
from cityhall.core.restore import warn_about_secret_key
from cityhall.posts.actions import do_create_post
from cityhall.posts.tests.test_attachments import pdf
from cityhall.posts.uploads import clean_upload

ON_SQLITE = connection.vendor == "sqlite"
sqlite_only = pytest.mark.skipif(
    not ON_SQLITE,
    reason="SQLite files; on PostgreSQL, test_it_restores_a_postgresql_database_into_an_empty_one",
)


@pytest.fixture
def media(tmp_path, settings):
    root = tmp_path / "media"
    (root / "members" / "photos").mkdir(parents=True)
    (root / "members" / "photos" / "山田.jpg").write_bytes(b"\xff\xd8 a photo \xff\xd9")
    (root / "sections" / "covers").mkdir(parents=True)
    (root / "sections" / "covers" / "bousai.jpg").write_bytes(bytes(range(256)) * 64)
    settings.MEDIA_ROOT = root
    return root


def backup(out: Path, *, keep: int = 0) -> Path:
    call_command("backup", out=str(out), keep=keep, stdout=io.StringIO())
    (archive,) = sorted(out.glob("cityhall-backup-*.tar"))[-1:]
    return archive


def restore(archive: Path, *, target: str | Path, media_root: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "restore",
        str(archive),
        target_db=str(target),
        media_root=str(media_root),
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def checksums(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def sqlite_rows(path: str | Path) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                "'CREATE VIRTUAL%' ORDER BY name"
            )
        ]
        return {t: database.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}
    finally:
        database.close()


def extracted(tar: tarfile.TarFile, member: str | tarfile.TarInfo) -> bytes:
    """The bytes of a regular file in the archive (extractfile gives None for anything else)."""
    file = tar.extractfile(member)
    assert file is not None, member
    return file.read()


def snapshot_from(archive: Path, into: Path) -> Path:
    """The database file inside an archive, unpacked for inspection."""
    with tarfile.open(archive) as tar:
        (member,) = [m for m in tar.getmembers() if m.name.startswith("database/")]
        into.write_bytes(extracted(tar, member))
    return into


def nothing_written(*paths: Path) -> bool:
    return all(not path.exists() for path in paths) and not any(
        p.name.startswith(".") for path in paths for p in path.parent.iterdir()
    )


def a_post(member, title: str, *, with_file: bool = False):
    files = [clean_upload(pdf(f"{title}.pdf"))] if with_file else []
    data = {"title": title, "body": "本文"}
    return do_create_post(
        section=None, kind="discussion", data=data, attachments=files, actor=member
    )


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_restores_every_row_and_every_file_as_they_were(tmp_path, member, media):
    for number in range(5):
        a_post(member, f"窓口のキャッシュレス化 {number}", with_file=number % 2 == 0)
    archive = backup(tmp_path / "backups")

    restored_db, restored_media = tmp_path / "restored" / "cityhall.sqlite3", tmp_path / "files"
    out, err = restore(archive, target=restored_db, media_root=restored_media)

    assert "復元しました" in out and "SECRET_KEY はバックアップ時と同じです" in out
    assert err == ""
    source = sqlite_rows(connection.settings_dict["NAME"])
    copy = sqlite_rows(restored_db)
    assert source.keys() == copy.keys()
    for table in source:
        assert source[table] == copy[table], table
    assert len(copy["posts_post"]) == 5 and len(copy["posts_attachment"]) == 3
    assert checksums(restored_media) == checksums(media)
    assert len(checksums(media)) == 2 + 3


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_it_loses_no_acknowledged_post_while_members_keep_posting(
    tmp_path, member, media, monkeypatch
):
    acknowledged: list[int] = []  # ids of posts whose commit returned, in order
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_posting() -> None:
        try:
            number = 0
            while not stop.is_set():
                number += 1
                post = a_post(member, f"書き込み {number}", with_file=number % 5 == 0)
                acknowledged.append(post.pk)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # the thread's own connection

    def wait_for_more(count: int) -> None:
        goal = len(acknowledged) + count
        deadline = time.monotonic() + 30
        while len(acknowledged) < goal and not errors and time.monotonic() < deadline:
            time.sleep(0.01)

    # Members keep posting while the snapshot is taken and while the files are packed.
    before_snapshot: list[int] = []
    real_snapshot = backup_module.snapshot_sqlite

    def snapshot_amid_posting(source: Path, target: Path) -> None:
        wait_for_more(5)
        before_snapshot.extend(acknowledged)
        real_snapshot(source, target)
        wait_for_more(5)

    monkeypatch.setattr(backup_module, "snapshot_sqlite", snapshot_amid_posting)
    writer = threading.Thread(target=keep_posting)
    writer.start()
    try:
        wait_for_more(10)
        before_backup = list(acknowledged)
        archive = backup(tmp_path / "backups")
        during_backup = len(acknowledged) - len(before_backup)
    finally:
        stop.set()
        writer.join()

    assert errors == []
    assert during_backup >= 10
    snapshot = sqlite3.connect(snapshot_from(archive, tmp_path / "snapshot.sqlite3"))
    assert snapshot.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert snapshot.execute("PRAGMA foreign_key_check").fetchall() == []
    in_snapshot = {row[0] for row in snapshot.execute("SELECT id FROM posts_post")}
    assert set(before_backup) <= in_snapshot
    assert set(before_snapshot) <= in_snapshot
    assert len(in_snapshot) >= len(before_snapshot) > len(before_backup)
    # Every file a snapshot row names is in the archive.
    files = [row[0] for row in snapshot.execute("SELECT file FROM posts_attachment")]
    assert files
    with tarfile.open(archive) as tar:
        packed = set(tar.getnames())
    assert {f"media/{name}" for name in files} <= packed


@pytest.fixture
def archive(db, tmp_path, media):
    return backup(tmp_path / "backups")


@pytest.fixture
def target(tmp_path):
    """Where a refused restore must write nothing."""
    return tmp_path / "restored" / "cityhall.sqlite3", tmp_path / "restored" / "media"


def target_db(path: Path) -> str:
    """A SQLite file, or on PostgreSQL a database that does not exist (refused before use)."""
    return str(path) if ON_SQLITE else f"postgres://x@127.0.0.1:1/{uuid.uuid4().hex}"


def test_it_refuses_an_archive_with_a_changed_byte(archive, target):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    database, media_root = target
    with pytest.raises(CommandError, match=r"チェックサムが .* と一致しません"):
        restore(archive, target=target_db(database), media_root=media_root)
    assert nothing_written(database.parent)


def test_it_refuses_a_truncated_archive(archive, target):
    database, media_root = target
    whole = archive.read_bytes()
    archive.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CommandError, match="途中で切れているか"):
        restore(archive, target=target_db(database), media_root=media_root)
    # Even with a checksum that matches the cut archive.
    backup_module.write_checksum(archive, hashlib.sha256(archive.read_bytes()).hexdigest())
    with pytest.raises(
        CommandError, match=r"途中で切れているか壊れています|manifest\.json がありません"
    ):
        restore(archive, target=target_db(database), media_root=media_root)
    assert nothing_written(database.parent)


def test_it_refuses_an_archive_whose_file_differs_from_the_manifest(archive, target, tmp_path):
    """Rewritten with a new checksum beside it: the manifest still catches the changed file."""
    altered = tmp_path / "altered.tar"
    with tarfile.open(archive) as source, tarfile.open(altered, "w") as copy:
        for member in source.getmembers():
            data = extracted(source, member)
            if member.name.endswith("bousai.jpg"):
                data = data[:-1] + b"!"
            copy.addfile(member, io.BytesIO(data))
    altered.replace(archive)
    backup_module.write_checksum(archive, hashlib.sha256(archive.read_bytes()).hexdigest())
    database, media_root = target
    with pytest.raises(CommandError, match=r"bousai\.jpg がマニフェストの記録"):
        restore(archive, target=target_db(database), media_root=media_root)
    assert nothing_written(database.parent)


def test_it_refuses_an_archive_without_its_checksum(archive, target):
    archive.with_name(archive.name + ".sha256").unlink()
    database, media_root = target
    with pytest.raises(CommandError, match=r"チェックサムファイル .*\.sha256 がありません"):
        restore(archive, target=target_db(database), media_root=media_root)


@sqlite_only
def test_it_never_restores_over_a_database_that_has_tables(archive, target):
    database, media_root = target
    database.parent.mkdir()
    existing = sqlite3.connect(database)
    existing.execute("CREATE TABLE notes (body TEXT)")
    existing.execute("INSERT INTO notes VALUES ('大切なメモ')")
    existing.commit()
    existing.close()
    with pytest.raises(CommandError, match="空ではありません"):
        restore(archive, target=database, media_root=media_root)
    assert sqlite3.connect(database).execute("SELECT body FROM notes").fetchall() == [
        ("大切なメモ",)
    ]
    assert not media_root.exists()


def test_it_never_restores_into_a_media_folder_that_has_files(archive, target):
    database, media_root = target
    media_root.mkdir(parents=True)
    (media_root / "keep.txt").write_text("いまのファイル", encoding="utf-8")
    with pytest.raises(CommandError, match=r"メディアフォルダ .* は空ではありません"):
        restore(archive, target=target_db(database), media_root=media_root)
    assert checksums(media_root) == {
        "keep.txt": hashlib.sha256("いまのファイル".encode()).hexdigest()
    }
    assert not database.exists()


def test_it_keeps_the_secret_key_out_of_the_archive(db, tmp_path, settings):
    # Even if the media folder were the VAR_DIR that holds the development key.
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "var"
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text(settings.SECRET_KEY, encoding="utf-8")
    (tmp_path / "var" / "photo.jpg").write_bytes(b"photo")

    archive = backup(tmp_path / "backups")

    data = archive.read_bytes()
    assert settings.SECRET_KEY.encode() not in data
    with tarfile.open(archive) as tar:
        assert "media/secret_key" not in tar.getnames()
        assert "media/photo.jpg" in tar.getnames()
        manifest = json.loads(extracted(tar, "manifest.json"))
    expected = hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:8]
    assert manifest["secret_key_fingerprint"] == expected


def test_it_leaves_members_data_exports_out_of_the_archive(db, tmp_path, settings):
    # An export is a short-lived copy of one member's data; a backup must not keep it.
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "exports").mkdir(parents=True)
    (tmp_path / "media" / "exports" / "abc.zip").write_bytes(b"zip")
    (tmp_path / "media" / "photo.jpg").write_bytes(b"photo")

    archive = backup(tmp_path / "backups")

    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "media/photo.jpg" in names
    assert not any(name.startswith("media/exports") for name in names)


def test_it_warns_when_the_running_secret_key_differs(archive, settings):
    with tarfile.open(archive) as tar:
        manifest = json.loads(extracted(tar, "manifest.json"))
    said: list[str] = []
    warnings: list[str] = []
    warn_about_secret_key(manifest, say=said.append, warn=warnings.append)
    assert warnings == [] and "SECRET_KEY はバックアップ時と同じです" in said[0]

    settings.SECRET_KEY = "another-key-than-the-one-backed-up"
    warn_about_secret_key(manifest, say=said.append, warn=warnings.append)
    (warning,) = warnings
    assert "SECRET_KEY はバックアップ時の鍵と違います" in warning
    assert "全員のログインが切れ" in warning and "リンク" in warning


def test_it_describes_what_it_packed_in_the_manifest(archive, media):
    with tarfile.open(archive) as tar:
        manifest = json.loads(extracted(tar, "manifest.json"))
        names = tar.getnames()
    assert manifest["database"]["engine"] == ("sqlite" if ON_SQLITE else "postgresql")
    assert manifest["migrations"]["posts"].startswith("0")
    assert manifest["app"]["version"]
    paths = [entry["path"] for entry in manifest["files"]]
    assert sorted(paths) == sorted(n for n in names if n != "manifest.json")
    assert "media/members/photos/山田.jpg" in paths
    line = archive.with_name(archive.name + ".sha256").read_text(encoding="utf-8")
    assert line == f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  {archive.name}\n"
    assert archive.stat().st_mode & 0o077 == 0  # only its owner reads every member's data


def test_it_keeps_only_the_newest_archives(db, tmp_path, media):
    out = tmp_path / "backups"
    out.mkdir()
    (out / "notes.txt").write_text("運営のメモ", encoding="utf-8")
    for day in (1, 2, 3):
        with time_machine.travel(datetime(2026, 12, day, 21, 0, tzinfo=UTC), tick=False):
            backup(out, keep=2)
    assert sorted(p.name for p in out.iterdir()) == [
        "cityhall-backup-20261202T210000Z.tar",
        "cityhall-backup-20261202T210000Z.tar.sha256",
        "cityhall-backup-20261203T210000Z.tar",
        "cityhall-backup-20261203T210000Z.tar.sha256",
        "notes.txt",
    ]


@pytest.mark.skipif(
    ON_SQLITE, reason="needs PostgreSQL: runs in CI's pass with DATABASE_URL=postgres://…"
)
@pytest.mark.django_db(transaction=True)
def test_it_restores_a_postgresql_database_into_an_empty_one(tmp_path, member, media):
    for number in range(3):
        a_post(member, f"事例 {number}", with_file=True)
    archive = backup(tmp_path / "backups")
    config = connection.settings_dict
    server = {
        "user": config["USER"],
        "password": config["PASSWORD"],
        "host": config["HOST"],
        "port": config["PORT"],
    }
    scratch = f"cityhall_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        url = (
            f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST']}:{config['PORT']}"
            f"/{scratch}"
        )
        out, _ = restore(archive, target=url, media_root=tmp_path / "files")
        assert "pg_restore" in out and "復元しました" in out
        with pytest.raises(CommandError, match="空ではありません"):
            restore(archive, target=url, media_root=tmp_path / "more-files")
        assert pg_row_counts(config["NAME"], server) == pg_row_counts(scratch, server)
        assert checksums(tmp_path / "files") == checksums(media)
        with psycopg.connect(dbname=scratch, **server) as copy:
            titles = copy.execute("SELECT title FROM posts_post ORDER BY id").fetchall()
        assert titles == [("事例 0",), ("事例 1",), ("事例 2",)]
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def pg_row_counts(name: str, server: dict) -> dict[str, int]:
    with psycopg.connect(dbname=name, **server) as database:
        tables = [
            row[0]
            for row in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            row = database.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            assert row is not None  # count(*) always answers one row
            counts[table] = row[0]
        return counts
