"""Update the local governments from a newer 総務省「全国地方公共団体コード」list."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.organizations.actions import do_import_local_governments
from cityhall.organizations.reference import ReferenceDataError, read_official_list

SHOWN_PER_SECTION = 50


class Command(BaseCommand):
    help = (
        "総務省の全国地方公共団体コード一覧（.xlsx、または同じ見出しの .csv）で団体を更新します。"
        "一覧にない自治体は無効にします（削除はしません）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="総務省の一覧ファイル（.xlsx または .csv）")
        parser.add_argument(
            "--dry-run", action="store_true", help="変更内容を表示するだけで、書き込みません"
        )

    def handle(self, *args: Any, path: Path, dry_run: bool, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"ファイルが見つかりません: {path}")
        try:
            rows = read_official_list(path)
        except ReferenceDataError as error:
            raise CommandError(f"{error}何も変更していません。") from error
        summary = do_import_local_governments(rows, source=path.name, actor=None, dry_run=dry_run)
        self.stdout.write(f"{path.name}: {len(rows)}団体")
        for title, items in (
            ("追加", summary.added),
            ("名称変更", summary.renamed),
            ("無効化", summary.deactivated),
            ("再有効化", summary.reactivated),
            ("よみ・種別などの更新", summary.updated),
        ):
            self.stdout.write(f"{title}: {len(items)}件")
            for item in items[:SHOWN_PER_SECTION]:
                self.stdout.write(f"  {item}")
            if len(items) > SHOWN_PER_SECTION:
                self.stdout.write(f"  …ほか{len(items) - SHOWN_PER_SECTION}件")
        if dry_run:
            self.stdout.write(self.style.WARNING("試行のみ（--dry-run）: 何も書き込んでいません。"))
        else:
            self.stdout.write(self.style.SUCCESS("更新しました。"))
