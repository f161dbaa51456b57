"""`manage.py restore ARCHIVE [--target-db URL_OR_PATH] [--media-root DIR]`: put a backup into an
empty database and an empty media folder, after checking every byte of it
(cityhall/core/restore.py, docs/operations.md). There is deliberately no --force."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from cityhall.core.backup import Database
from cityhall.core.restore import restore_archive


class Command(BaseCommand):
    help = "backup で作ったアーカイブを、空のデータベースと空のメディアフォルダに復元します。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="cityhall-backup-….tar（.sha256 を同じフォルダに）")
        parser.add_argument(
            "--target-db",
            default="",
            help="復元先: postgres://… の URL か SQLite ファイルのパス（既定: DATABASE_URL）",
        )
        parser.add_argument(
            "--media-root", default="", help="復元先のメディアフォルダ（既定: MEDIA_ROOT）"
        )

    def handle(
        self, *args: Any, archive: str, target_db: str, media_root: str, **options: Any
    ) -> None:
        target = Database.from_argument(target_db) if target_db else Database.from_settings()
        restore_archive(
            Path(archive),
            target=target,
            media_root=Path(media_root or settings.MEDIA_ROOT),
            say=self.stdout.write,
            warn=lambda message: self.stderr.write(self.style.WARNING(message)),
        )
        self.stdout.write(
            self.style.SUCCESS("復元が完了しました。サイトを起動して確かめてください。")
        )
