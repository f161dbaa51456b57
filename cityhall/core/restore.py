"""Restoring an archive written by core.backup (docs/operations.md).

Everything is checked before anything is written: the archive's SHA-256 against the file beside
it, then every member against the manifest (size and SHA-256, nothing missing, nothing extra,
no path leaving its folder). A restore only goes into an empty database and an empty media
folder: putting an archive over live data is a decision for a person, made by emptying them
first, never a flag.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import CommandError
from django.db.migrations.loader import MigrationLoader

from cityhall.core.backup import (
    CHUNK,
    FORMAT,
    MANIFEST,
    Database,
    Say,
    client_program,
    run_client,
    secret_key_fingerprint,
    sha256_file,
)

REFUSED = "何も書き込んでいません。"


class ArchiveError(CommandError):
    """The archive cannot be trusted: corrupted, truncated, altered or not one of ours."""


@dataclass(frozen=True)
class Verified:
    archive: Path
    manifest: dict[str, Any]
    checksum: str

    @property
    def engine(self) -> str:
        return str(self.manifest["database"]["engine"])

    @property
    def database_file(self) -> str:
        return str(self.manifest["database"]["file"])


def verify_archive(archive: Path) -> Verified:
    """Check the archive as a whole and member by member, or raise ArchiveError."""
    if not archive.is_file():
        raise ArchiveError(f"アーカイブ {archive} がありません。")
    sidecar = archive.with_name(archive.name + ".sha256")
    if not sidecar.is_file():
        raise ArchiveError(
            f"チェックサムファイル {sidecar.name} がありません。アーカイブと一緒に保管・コピー"
            f"してください。{REFUSED}"
        )
    expected = sidecar.read_text(encoding="utf-8").split(maxsplit=1)[:1]
    checksum = sha256_file(archive)
    if expected != [checksum]:
        raise ArchiveError(
            f"アーカイブのチェックサムが {sidecar.name} と一致しません。途中で切れているか、"
            f"壊れているか、書き換えられています。{REFUSED}"
        )
    try:
        with tarfile.open(archive, mode="r:") as tar:
            manifest = _check_members(tar)
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError, ValueError) as error:
        raise ArchiveError(
            f"アーカイブを読めません（{error}）。途中で切れているか壊れています。{REFUSED}"
        ) from error
    return Verified(archive, manifest, checksum)


def _check_members(tar: tarfile.TarFile) -> dict[str, Any]:
    members = tar.getmembers()
    names = [member.name for member in members]
    if len(names) != len(set(names)):
        raise ArchiveError(f"アーカイブに同じ名前のファイルが重なっています。{REFUSED}")
    for member in members:
        if not member.isfile() or not _safe(member.name):
            raise ArchiveError(f"アーカイブに不正な項目があります: {member.name}。{REFUSED}")
    if MANIFEST not in names:
        raise ArchiveError(f"アーカイブに {MANIFEST} がありません。{REFUSED}")
    manifest = json.loads(_read(tar, tar.getmember(MANIFEST)))
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"このバックアップの形式（{manifest.get('format')}）は読めません。")
    listed = {entry["path"]: entry for entry in manifest["files"]}
    packed = {member.name: member for member in members if member.name != MANIFEST}
    if set(listed) != set(packed):
        odd = sorted(set(listed) ^ set(packed))[:5]
        raise ArchiveError(f"マニフェストとアーカイブの中身が一致しません: {odd}。{REFUSED}")
    if manifest["database"]["file"] not in packed:
        raise ArchiveError(f"アーカイブにデータベースがありません。{REFUSED}")
    for name, member in packed.items():
        entry = listed[name]
        size, digest = _measure(tar, member)
        if size != entry["size"] or digest != entry["sha256"]:
            raise ArchiveError(
                f"{name} がマニフェストの記録（サイズ・SHA-256）と一致しません。{REFUSED}"
            )
    return manifest


def _safe(name: str) -> bool:
    path = PurePosixPath(name)
    top = path.parts[0] if path.parts else ""
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and (name == MANIFEST or (top in {"database", "media"} and len(path.parts) > 1))
    )


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    file = tar.extractfile(member)
    assert file is not None  # regular files only, checked above
    return file.read()


def _measure(tar: tarfile.TarFile, member: tarfile.TarInfo) -> tuple[int, str]:
    file = tar.extractfile(member)
    assert file is not None
    digest, size = hashlib.sha256(), 0
    while chunk := file.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def restore_archive(
    archive: Path, *, target: Database, media_root: Path, say: Say, warn: Say
) -> Verified:
    """Check the archive, then put its database into the empty `target` and its files into the
    empty `media_root`. Raises CommandError, having written nothing, when anything is wrong."""
    say(f"アーカイブを確認しています: {archive}")
    verified = verify_archive(archive)
    files = verified.manifest["files"]
    say(f"  チェックサム ok、{len(files)} ファイルすべてマニフェストどおり")
    if verified.engine != target.engine:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise CommandError(
            f"{names[verified.engine]} のバックアップは {names[target.engine]} には復元できません。"
        )
    refuse_unless_empty(target, media_root)
    warn_about_secret_key(verified.manifest, say=say, warn=warn)
    warn_about_migrations(verified.manifest, warn=warn)

    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=f".{media_root.name}.restoring-"))
    try:
        say(f"ファイルを取り出しています…（{media_root}）")
        database_copy = _extract(verified, staging)
        if target.engine == "sqlite":
            say(f"データベースを置いています: {target.name}")
            _place_sqlite(database_copy, Path(target.name))
        else:
            say(f"pg_restore でデータベースを復元しています: {target}")
            _restore_postgresql(database_copy, target)
        database_copy.unlink()
        _place_media(staging / "media", media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    count = sum(1 for entry in files if entry["path"].startswith("media/"))
    say(
        f"復元しました: データベースと {count} ファイル（{verified.manifest['created_at']} の状態）"
    )
    return verified


def refuse_unless_empty(target: Database, media_root: Path) -> None:
    if media_root.exists() and (not media_root.is_dir() or any(media_root.iterdir())):
        raise CommandError(
            f"復元先のメディアフォルダ {media_root} は空ではありません。いまあるファイルの上には"
            f"復元しません。空のフォルダを --media-root で指定してください。{REFUSED}"
        )
    if target.engine == "sqlite":
        tables = _sqlite_tables(Path(target.name))
    else:
        tables = _postgresql_tables(target)
    if tables:
        raise CommandError(
            f"復元先のデータベース（{target}）は空ではありません（{tables} 個のテーブル）。"
            "いまあるデータの上には復元しません。空のデータベースを指定するか、中身を退避して"
            f"から実行してください。{REFUSED}"
        )


def _sqlite_tables(path: Path) -> int:
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return 0
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            query = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            return int(connection.execute(query).fetchone()[0])
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(
            f"{path} は SQLite のデータベースとして読めません（{error}）。"
        ) from error


def _postgresql_tables(target: Database) -> int:
    try:
        with psycopg.connect(
            dbname=target.name,
            user=target.user or None,
            password=target.password or None,
            host=target.host or None,
            port=target.port or None,
            connect_timeout=10,
        ) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind IN ('r', 'p')"
                " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
            ).fetchone()
    except psycopg.Error as error:
        raise CommandError(
            f"復元先のデータベース（{target}）に接続できません（{str(error).strip()}）。"
            "先に空のデータベースを作ってください（例: createdb -O cityhall 名前）。"
        ) from error
    return int(row[0]) if row else 0


def warn_about_secret_key(manifest: dict[str, Any], *, say: Say, warn: Say) -> None:
    recorded = manifest.get("secret_key_fingerprint")
    running = secret_key_fingerprint(settings.SECRET_KEY)
    if recorded == running:
        say(f"SECRET_KEY はバックアップ時と同じです（指紋 {running}）。")
        return
    warn(
        f"注意: いまの SECRET_KEY はバックアップ時の鍵と違います（バックアップ時 {recorded}、"
        f"いま {running}）。このまま起動すると、全員のログインが切れ、メールで送ったリンク"
        "（メールアドレスの確認・パスワードの設定・ログインリンク・退会の確認）は使えなくなり、"
        "BROADCAST_CALLBACK_SECRET を設定していなければ配信キーも変わります。保管してある鍵を "
        "SECRET_KEY に設定してから起動してください。"
    )


def warn_about_migrations(manifest: dict[str, Any], *, warn: Say) -> None:
    """The code that will run against the restored data should know every migration in it."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    recorded: dict[str, str] = manifest.get("migrations", {})
    unknown = [f"{app}.{name}" for app, name in recorded.items() if (app, name) not in graph.nodes]
    if unknown:
        version = manifest["app"].get("commit") or manifest["app"].get("version")
        warn(
            "注意: このバックアップには、いまのコードが知らないマイグレーションがあります"
            f"（{', '.join(sorted(unknown)[:5])}）。バックアップを取ったときの版のコード"
            f"（{version}）で動かしてください。"
        )
    newer = [
        f"{app}.{name}"
        for app, name in sorted(graph.leaf_nodes())
        if recorded.get(app, "") < name and f"{app}.{recorded.get(app)}" not in unknown
    ]
    if newer:
        warn(
            "いまのコードにはバックアップより新しいマイグレーションがあります"
            f"（{', '.join(newer[:5])}）。復元の後で manage.py migrate を実行してください。"
        )


def _extract(verified: Verified, staging: Path) -> Path:
    """Unpack every member under `staging`, hashing again as it goes (the archive could have
    changed since it was checked). Returns the database file."""
    listed = {entry["path"]: entry for entry in verified.manifest["files"]}
    with tarfile.open(verified.archive, mode="r:") as tar:
        for member in tar:
            if member.name == MANIFEST:
                continue
            source = tar.extractfile(member)
            assert source is not None
            destination = staging / PurePosixPath(member.name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with destination.open("xb") as file:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            if digest.hexdigest() != listed[member.name]["sha256"]:
                raise ArchiveError(f"{member.name} が確認の後で変わりました。{REFUSED}")
    return staging / PurePosixPath(verified.database_file)


def _place_sqlite(copy: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(copy, partial)
    with partial.open("rb+") as file:
        os.fsync(file.fileno())
    # What an empty database left beside it would be read as part of the restored one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(partial, target)


def _restore_postgresql(dump: Path, target: Database) -> None:
    run_client(
        [
            client_program("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",  # all of it or nothing
            *target.client_arguments(),
            "--dbname",
            target.name,
            str(dump),
        ],
        target,
    )


def _place_media(unpacked: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    if not unpacked.is_dir():
        return
    for child in sorted(unpacked.iterdir()):
        os.replace(child, media_root / child.name)
