"""`manage.py backup [--out DIR] [--keep N]`: one dated archive of the database and the uploaded
files, taken while the site runs, with its SHA-256 beside it (cityhall/core/backup.py,
docs/operations.md). The secret key is never in it: keep that separately."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cityhall.core.backup import create_backup, prune_backups


class Command(BaseCommand):
    help = "データベースとアップロードされたファイルを、サイトを止めずに一つのアーカイブにします。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--out",
            default=str(settings.VAR_DIR / "backups"),
            help="書き出すフォルダ（既定: VAR_DIR/backups）",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="このフォルダに残すバックアップの数。古いものから削除します（既定: すべて残す）",
        )

    def handle(self, *args: Any, out: str, keep: int, **options: Any) -> None:
        if keep < 0:
            raise CommandError("--keep には 1 以上の数を指定してください（0 はすべて残す）。")
        folder = Path(out)
        try:
            archive = create_backup(folder, say=self.stdout.write)
        except OSError as error:
            raise CommandError(f"バックアップを書き出せませんでした: {error}") from error
        if keep:
            prune_backups(folder, keep=keep, say=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"バックアップが完了しました: {archive.name}"))
