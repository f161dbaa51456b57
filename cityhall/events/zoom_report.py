"""Reading a video meeting's participants report (Zoom's 参加者レポート CSV) and matching its
rows to members.

The file is read whole or refused whole: a wrong size, encoding, header or time raises
ReportError naming the row and the reason, so nothing is ever half-imported. Zoom writes UTF-8
with a byte order mark, older exports and Excel re-saves Shift_JIS (CP932); headers come in
Japanese or English, and the report may begin with a few lines about the meeting before the
participants' header. One person who joined several times has several rows: they are merged.

Matching: by email first (any member), then by the exact name — NFKC, spaces removed — among
the session's registrants, then among all members when exactly one has that name. The rest is
left for the host to resolve.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.core.jst import JST
from cityhall.core.text import compact, nfkc
from cityhall.events.models import Event, Registration

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH_LINES = 20
TIME_FORMATS = (
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
    "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
)  # fmt: skip


COLUMNS = {
    "name": ["名前（元の名前）", "名前", "ユーザー名（元の名前）", "ユーザー名", "参加者",
             "Name (Original Name)", "Name", "User Name (Original Name)", "User Name"],
    "email": ["ユーザーのメール", "ユーザーのメールアドレス", "メール", "メールアドレス",
              "User Email", "Email"],
    "join": ["参加時刻", "参加時間", "入室時刻", "Join Time"],
    "leave": ["退出時刻", "退出時間", "退室時刻", "Leave Time"],
    "minutes": ["期間（分）", "時間（分）", "参加時間（分）", "Duration (Minutes)", "Duration"],
}  # fmt: skip
# Headers compare as names do: widths, case, kana and spaces folded.
ALIASES = {compact(alias): column for column, names in COLUMNS.items() for alias in names}
REQUIRED = ("name", "join", "leave")


class ReportError(ValueError):
    """The file is refused; `row` is the line number in the file (0 for the file itself)."""

    def __init__(self, message: str, row: int = 0) -> None:
        self.row = row
        if row:
            message = _("%(row)s行目: %(reason)s") % {"row": row, "reason": message}
        super().__init__(message)


@dataclass
class Participant:
    """One person in the report (rows merged), and who they were matched to."""

    name: str
    email: str
    joined_at: datetime
    minutes: int
    rows: list[int] = field(default_factory=list)
    user_id: int | None = None
    matched_by: str = ""  # "email" or "name"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "joined_at": self.joined_at.isoformat(),
            "minutes": self.minutes,
            "rows": self.rows,
            "user_id": self.user_id,
            "matched_by": self.matched_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Participant":
        return cls(**{**data, "joined_at": datetime.fromisoformat(data["joined_at"])})


def decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        try:
            return content[3:].decode("utf-8")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8", "cp932"):
            try:
                return content.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ReportError(
        _("文字コードを読み取れませんでした。UTF-8 または Shift_JIS の CSV を選んでください。")
    )


def _time(value: str, row: int, label: str) -> datetime:
    text = nfkc(value).strip()
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=JST)
        except ValueError:
            continue
    raise ReportError(
        _("%(label)s「%(value)s」を日時として読み取れません。") % {"label": label, "value": value},
        row,
    )


def _header(rows: Any) -> tuple[dict[str, int], int]:
    """The participants' header: the first line that names a name column (within the first
    lines, after any lines about the meeting itself)."""
    for line_number, cells in rows:
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            column = ALIASES.get(compact(cell))
            if column and column not in columns:
                columns[column] = index
        if "name" in columns:
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                names = "、".join(COLUMNS[c][0] for c in missing)
                raise ReportError(
                    _("参加者レポートに必要な列がありません: %(names)s") % {"names": names},
                    line_number,
                )
            return columns, line_number
        if line_number >= HEADER_SEARCH_LINES:
            break
    raise ReportError(
        _(
            "参加者レポートの見出し行が見つかりません。「名前（元の名前）」「参加時刻」"
            "「退出時刻」の列がある CSV を選んでください。"
        )
    )


def parse(content: bytes) -> list[Participant]:
    """The report's participants, merged per email (or per name when no email)."""
    if len(content) > MAX_BYTES:
        raise ReportError(_("ファイルが大きすぎます（2MBまで）。"))
    text = decode(content)
    reader = csv.reader(io.StringIO(text, newline=""))
    numbered = ((reader.line_num, cells) for cells in reader)
    try:
        columns, _header_line = _header(numbered)
        people: dict[str, Participant] = {}
        count = 0
        for line_number, cells in numbered:
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise ReportError(
                    _("参加者の行が多すぎます（%(max)s行まで）。") % {"max": MAX_ROWS}, line_number
                )
            _row(cells, columns, line_number, people)
    except csv.Error as error:
        raise ReportError(_("CSV の形式が正しくありません。"), reader.line_num) from error
    if not people:
        raise ReportError(_("参加者の行がありません。"))
    return list(people.values())


def _row(
    cells: list[str], columns: dict[str, int], line: int, people: dict[str, Participant]
) -> None:
    def cell(column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    name, email = cell("name"), cell("email").lower()
    if not name and not email:
        raise ReportError(_("名前もメールアドレスも空です。"), line)
    joined = _time(cell("join"), line, _("参加時刻"))
    left = _time(cell("leave"), line, _("退出時刻"))
    if left < joined:
        raise ReportError(_("退出時刻が参加時刻より前です。"), line)
    if cell("minutes"):
        raw = nfkc(cell("minutes"))
        if not raw.isdigit():
            raise ReportError(
                _("期間（分）「%(value)s」が数ではありません。") % {"value": cell("minutes")},
                line,
            )
        minutes = int(raw)
    else:
        minutes = int((left - joined).total_seconds() // 60)
    key = email or "name:" + compact(name)
    person = people.get(key)
    if person is None:
        people[key] = Participant(name, email, joined, minutes, [line])
    else:
        person.minutes += minutes
        person.joined_at = min(person.joined_at, joined)
        person.rows.append(line)


def match(event: Event, people: list[Participant]) -> None:
    """Set user_id on the participants who can be matched; a fixed number of queries."""
    members = User.objects.filter(status=User.Status.MEMBER)
    emails = {p.email for p in people if p.email}
    by_email = dict(
        members.filter(email__in=emails).values_list("email", "pk")  # stored lower case
    )
    registrants: dict[str, list[int]] = {}
    for pk, family, given in (
        Registration.objects.filter(event=event, user__status=User.Status.MEMBER)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("user_id", "user__family_name", "user__given_name")
    ):
        registrants.setdefault(compact(family + given), []).append(pk)
    for person in people:
        if person.email and person.email in by_email:
            person.user_id, person.matched_by = by_email[person.email], "email"
            continue
        found = registrants.get(compact(person.name), [])
        if len(found) == 1:
            person.user_id, person.matched_by = found[0], "name"
    # Names typed "姓 名" that matched no registrant: look among all members, in one query.
    rest = [p for p in people if p.user_id is None and len(p.name.split()) == 2]
    if not rest:
        return
    families = {p.name.split()[0] for p in rest}
    givens = {p.name.split()[1] for p in rest}
    named: dict[str, list[int]] = {}
    for pk, family, given in members.filter(
        family_name__in=families, given_name__in=givens
    ).values_list("pk", "family_name", "given_name"):
        named.setdefault(compact(family + given), []).append(pk)
    for person in rest:
        found = named.get(compact(person.name), [])
        if len(found) == 1:
            person.user_id, person.matched_by = found[0], "name"
