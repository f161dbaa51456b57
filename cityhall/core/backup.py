"""Backups the site can be restored from: the database, the uploaded files and a manifest in one
dated tar archive, with its SHA-256 beside it (docs/operations.md).

The database is copied as one consistent snapshot while the site keeps running: SQLite through
its online backup API in a single step (one read transaction, so a writer never makes it start
over), PostgreSQL with `pg_dump --format=custom`. A plain copy of a live WAL database loses
whatever is still in the -wal file and may be torn mid-write. The media folder is packed after
the snapshot, so every file a snapshot row names was already on disk (files deleted in between
are the exception, and rare: a removed attachment).

The secret key is never written into an archive: the manifest keeps a short fingerprint of it so
a restore can tell the operator when the running key differs.

    cityhall-backup-20261207T210003Z.tar
        database/cityhall.sqlite3   (or database/cityhall.pgdump)
        media/…                     every file under MEDIA_ROOT but members' data exports
        manifest.json               each file's size and SHA-256, engine, migrations, version
    cityhall-backup-20261207T210003Z.tar.sha256   (`sha256sum -c` reads it)
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

import django
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
PREFIX = "cityhall-backup-"
ARCHIVE_NAME = re.compile(r"^cityhall-backup-\d{8}T\d{6}Z\.tar$")
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024

Say = Callable[[str], None]


@dataclass(frozen=True)
class Database:
    """Where a database is: a SQLite file, or a PostgreSQL database and how to reach it."""

    engine: str  # "sqlite" or "postgresql"
    name: str  # the file's path, or the database's name
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> "Database":
        config = connections[alias].settings_dict
        engine = config["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls("sqlite", str(config["NAME"]))
        if engine.endswith("postgresql"):
            return cls(
                "postgresql",
                str(config["NAME"]),
                user=config.get("USER") or "",
                password=config.get("PASSWORD") or "",
                host=config.get("HOST") or "",
                port=str(config.get("PORT") or ""),
            )
        raise CommandError(f"このデータベース（{engine}）のバックアップには対応していません。")

    @classmethod
    def from_argument(cls, value: str) -> "Database":
        """A URL as DATABASE_URL takes it (postgres://…, sqlite:///…), or a SQLite file's path."""
        parts = urlsplit(value)
        if parts.scheme in {"postgres", "postgresql"}:
            return cls(
                "postgresql",
                unquote(parts.path.lstrip("/")),
                user=unquote(parts.username or ""),
                password=unquote(parts.password or ""),
                host=parts.hostname or "",
                port=str(parts.port or ""),
            )
        if parts.scheme == "sqlite":
            return cls(
                "sqlite", unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)
            )
        if "://" in value:
            raise CommandError(f"データベースの URL（{parts.scheme}://）には対応していません。")
        return cls("sqlite", str(Path(value).resolve()))

    def __str__(self) -> str:
        if self.engine == "sqlite":
            return f"SQLite {self.name}"
        where = f"{self.host or 'localhost'}:{self.port or 5432}"
        return f"PostgreSQL {self.user + '@' if self.user else ''}{where}/{self.name}"

    def client_arguments(self) -> list[str]:
        """Connection options for pg_dump and pg_restore; the password goes in the environment."""
        arguments = ["--no-password"]
        if self.host:
            arguments += ["--host", self.host]
        if self.port:
            arguments += ["--port", self.port]
        if self.user:
            arguments += ["--username", self.user]
        return arguments

    def client_environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        if self.password:
            environment["PGPASSWORD"] = self.password  # never on a command line (ps shows those)
        return environment


def secret_key_fingerprint(key: str) -> str:
    """Enough to tell two keys apart, nothing to recover one from."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def client_program(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise CommandError(
            f"{name} が見つかりません。PostgreSQL のクライアントを入れてください"
            "（Debian: apt-get install postgresql-client）。"
        )
    return program


def run_client(command: list[str], database: Database) -> None:
    result = subprocess.run(  # noqa: S603 - a fixed program; values are separate arguments
        command, env=database.client_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        program = Path(command[0]).name
        raise CommandError(f"{program} が失敗しました: {result.stderr.strip()}")


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


class _HashingWriter:
    """The archive's file, hashed as it is written (tarfile needs write and tell)."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.digest = hashlib.sha256()
        self.offset = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.offset += len(data)
        return self.file.write(data)

    def tell(self) -> int:
        return self.offset


class _HashingReader:
    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.digest.update(data)
        return data


def create_backup(out: Path, *, say: Say) -> Path:
    """Write one archive of the running site's database and media folder into `out`, with its
    checksum beside it. Returns the archive's path."""
    database = Database.from_settings()
    media_root = Path(settings.MEDIA_ROOT)
    started = datetime.now(UTC)
    name = f"{PREFIX}{started:%Y%m%dT%H%M%SZ}.tar"
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    archive = out / name
    if archive.exists():
        raise CommandError(f"{archive} はすでにあります。少し待ってからもう一度実行してください。")

    migrations = latest_migrations()
    with tempfile.TemporaryDirectory(dir=out, prefix=".cityhall-backup-") as work:
        if database.engine == "sqlite":
            say(f"データベース（{database}）のスナップショットを取っています…")
            snapshot = Path(work) / "cityhall.sqlite3"
            snapshot_sqlite(Path(database.name), snapshot)
            say(f"  {human_size(snapshot.stat().st_size)}、整合性チェック ok")
        else:
            say(f"データベース（{database}）を pg_dump で書き出しています…")
            snapshot = Path(work) / "cityhall.pgdump"
            snapshot_postgresql(database, snapshot)
            say(f"  {human_size(snapshot.stat().st_size)}")
        partial = out / f".{name}.partial"
        try:
            checksum = _write_archive(
                partial,
                snapshot=snapshot,
                media_root=media_root,
                # Members' data exports are copies that expire within days: not kept.
                skip={out.resolve(), *_secret_key_files(), (media_root / EXPORTS).resolve()},
                manifest=_manifest(database, snapshot, migrations=migrations, started=started),
                say=say,
            )
            os.replace(partial, archive)
        finally:
            partial.unlink(missing_ok=True)
    write_checksum(archive, checksum)
    say(f"書き出しました: {archive}（{human_size(archive.stat().st_size)}）")
    say(f"チェックサム: {archive.name}.sha256（sha256 {checksum[:16]}…）")
    fingerprint = secret_key_fingerprint(settings.SECRET_KEY)
    say(
        f"SECRET_KEY はアーカイブに含めていません（指紋 {fingerprint}）。鍵は別に保管してください。"
    )
    return archive


def _manifest(
    database: Database, snapshot: Path, *, migrations: dict[str, str], started: datetime
) -> dict[str, Any]:
    """What restore checks and tells the operator; the file list is added as files are packed."""
    return {
        "format": FORMAT,
        "created_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "app": app_version(),
        "django": django.get_version(),
        "database": {
            "engine": database.engine,
            "file": f"database/{snapshot.name}",
            "method": "sqlite3 online backup"
            if database.engine == "sqlite"
            else "pg_dump --format=custom",
        },
        "migrations": migrations,
        "secret_key_fingerprint": secret_key_fingerprint(settings.SECRET_KEY),
    }


def snapshot_sqlite(source_path: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database, checked before it is packed."""
    if not source_path.is_file():
        raise CommandError(f"データベースファイル {source_path} がありません。")
    # Read-only: a backup never writes to the live database.
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, from one read transaction. Stepping a few
        # pages at a time would restart each time the site commits, and never end on a busy site.
        source.backup(copy, pages=-1)
        # One self-contained file, whatever the live database's journal mode.
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA integrity_check").fetchall()
    finally:
        copy.close()
        source.close()
    if result != [("ok",)]:
        problems = "; ".join(row[0] for row in result[:5])
        raise CommandError(f"スナップショットの整合性チェックに失敗しました: {problems}")


def snapshot_postgresql(database: Database, target: Path) -> None:
    """pg_dump reads one consistent snapshot of the database while the site writes."""
    run_client(
        [
            client_program("pg_dump"),
            "--format=custom",
            *database.client_arguments(),
            "--file",
            str(target),
            "--dbname",
            database.name,
        ],
        database,
    )
    # The dump's table of contents reads back: the file is whole.
    run_client([client_program("pg_restore"), "--list", str(target)], database)


def latest_migrations() -> dict[str, str]:
    """The latest applied migration of each app, as the database records them."""
    applied = MigrationRecorder(connections["default"]).applied_migrations()
    latest: dict[str, str] = {}
    for app, name in sorted(applied):
        latest[app] = name  # names start with their number: the last sorted is the latest
    return latest


def app_version() -> dict[str, Any]:
    version: str | None
    try:
        version = metadata.version("cityhall")
    except metadata.PackageNotFoundError:
        version = None
    return {"version": version, "commit": _git_commit()}


def _git_commit() -> str | None:
    git = shutil.which("git")
    if git is None or not (Path(settings.BASE_DIR) / ".git").exists():
        return None
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        result = subprocess.run(  # noqa: S603
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
        if result.returncode == 0:
            return result.stdout.strip()
    return None


EXPORTS = "exports"  # members' data exports (interface.DataExport), never packed


def _secret_key_files() -> set[Path]:
    """Files that hold the secret key, never packed even if they sit in the media folder."""
    files = {Path(settings.VAR_DIR) / "secret_key"}
    if os.environ.get("SECRET_KEY_FILE"):
        files.add(Path(os.environ["SECRET_KEY_FILE"]))
    return {path.resolve() for path in files}


def media_files(media_root: Path, *, skip: set[Path]) -> Iterator[tuple[Path, str]]:
    """Every regular file under the media folder and its archive name, in a stable order.
    Symbolic links are not followed."""
    if not media_root.is_dir():
        return
    for folder, dirs, files in os.walk(media_root):
        dirs[:] = sorted(d for d in dirs if (Path(folder) / d).resolve() not in skip)
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file() or path.resolve() in skip:
                continue
            yield path, "media/" + path.relative_to(media_root).as_posix()


def _write_archive(
    partial: Path,
    *,
    snapshot: Path,
    media_root: Path,
    skip: set[Path],
    manifest: dict[str, Any],
    say: Say,
) -> str:
    """Pack the snapshot, the media files and the manifest; return the archive's SHA-256."""
    entries: list[dict[str, Any]] = []
    # 0o600: the archive holds every member's data.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        writer = _HashingWriter(file)
        with tarfile.open(fileobj=writer, mode="w", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
            entries.append(_add_file(tar, snapshot, manifest["database"]["file"]))
            say(f"メディアファイル（{media_root}）をまとめています…")
            media_bytes = 0
            for path, arcname in media_files(media_root, skip=skip):
                entry = _add_file(tar, path, arcname)
                entries.append(entry)
                media_bytes += entry["size"]
            say(f"  {len(entries) - 1} ファイル、{human_size(media_bytes)}")
            manifest["files"] = entries
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now(UTC).timestamp())
            tar.addfile(info, _BytesReader(data))
        file.flush()
        os.fsync(file.fileno())
    return writer.digest.hexdigest()


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk, self.offset = self.data[self.offset : end], min(end, len(self.data))
        return chunk


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict[str, Any]:
    with path.open("rb") as file:
        info = tar.gettarinfo(arcname=arcname, fileobj=file)
        info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
        reader = _HashingReader(file)
        # Exactly info.size bytes are packed: a file still growing is cut at its size then.
        tar.addfile(info, reader)
    return {"path": arcname, "size": info.size, "sha256": reader.digest.hexdigest()}


def write_checksum(archive: Path, checksum: str) -> Path:
    """`<sha256>  <name>`, the line `sha256sum -c` checks."""
    sidecar = archive.with_name(archive.name + ".sha256")
    partial = sidecar.with_name(f".{sidecar.name}.partial")
    partial.write_text(f"{checksum}  {archive.name}\n", encoding="utf-8")
    os.replace(partial, sidecar)
    return sidecar


def prune_backups(out: Path, *, keep: int, say: Say) -> list[Path]:
    """Delete the oldest archives in `out` (and their checksums) beyond the newest `keep`.
    Only files named as this command names them are ever touched."""
    archives = sorted(path for path in out.iterdir() if ARCHIVE_NAME.match(path.name))
    doomed = archives[:-keep] if keep > 0 else []
    for archive in doomed:
        archive.unlink()
        archive.with_name(archive.name + ".sha256").unlink(missing_ok=True)
        say(f"古いバックアップを削除しました: {archive.name}")
    return doomed
