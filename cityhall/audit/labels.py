"""Japanese labels for the audit codes, for the staff pages: every code the code base writes,
and the raw code for any this list does not know (an old or new code stays readable)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    # accounts
    "accounts.deletion.cancelled": _("退会の取り消し"),
    "accounts.deletion.completed": _("退会（削除の完了）"),
    "accounts.deletion.requested": _("退会の申し出"),
    "accounts.email.change_requested": _("メールアドレス変更の申請"),
    "accounts.email.changed": _("メールアドレスの変更"),
    "accounts.login.throttled": _("ログイン試行の制限"),
    "accounts.password.changed": _("パスワードの変更"),
    "accounts.session.ended": _("端末のログアウト"),
    "accounts.sessions.ended": _("すべての端末からのログアウト"),
    "accounts.two_factor.disabled": _("2段階認証の解除"),
    "accounts.two_factor.enabled": _("2段階認証の設定"),
    "accounts.two_factor.reset": _("2段階認証のリセット"),
    "accounts.two_factor.throttled": _("2段階認証の試行の制限"),
    "accounts.user.reactivated": _("利用停止の解除"),
    "accounts.user.role_changed": _("権限の変更"),
    "accounts.user.suspended": _("利用停止"),
    # broadcasts
    "broadcasts.archive.ready": _("放送アーカイブの公開"),
    "broadcasts.comment.deleted": _("放送コメントの削除"),
    "broadcasts.episode.cancelled": _("放送回の中止"),
    "broadcasts.episode.created": _("放送回の作成"),
    "broadcasts.episode.updated": _("放送回の更新"),
    "broadcasts.member.muted": _("放送コメントの制限"),
    "broadcasts.programme.archived": _("番組の終了"),
    "broadcasts.programme.created": _("番組の作成"),
    "broadcasts.programme.key_rotated": _("配信キーの再発行"),
    "broadcasts.programme.updated": _("番組の更新"),
    "broadcasts.stream.ended": _("配信の終了"),
    "broadcasts.stream.started": _("配信の開始"),
    # events
    "events.agenda.decided": _("事前質問の採否"),
    "events.attendance.imported": _("出席の取り込み"),
    "events.attendance.marked": _("出席の記録"),
    "events.event.cancelled": _("勉強会の中止"),
    "events.event.created": _("勉強会の作成"),
    "events.event.moved": _("勉強会の日時変更"),
    "events.event.updated": _("勉強会の更新"),
    "events.feed.regenerated": _("カレンダー連携URLの再発行"),
    "events.feed.revoked": _("カレンダー連携URLの停止"),
    "events.series.created": _("勉強会シリーズの作成"),
    "events.series.updated": _("勉強会シリーズの更新"),
    # knowledge
    "knowledge.entry.published": _("FAQの公開"),
    "knowledge.entry.unpublished": _("FAQの非公開"),
    # members
    "members.account.activated": _("アカウントの有効化"),
    "members.application.approved": _("参加申請の承認"),
    "members.application.corrected": _("参加申請の修正"),
    "members.application.info_requested": _("参加申請の追加確認"),
    "members.application.purged": _("参加申請の削除（保存期間の経過）"),
    "members.application.rejected": _("参加申請の却下"),
    "members.application.resubmitted": _("参加申請の再提出"),
    "members.application.submitted": _("参加申請の受付"),
    "members.application.verified": _("メールアドレスの確認"),
    "members.application.withdrawn": _("参加申請の取り下げ"),
    "members.duty.created": _("担当業務の追加"),
    "members.duty.hidden": _("担当業務の非表示"),
    "members.duty.shown": _("担当業務の再表示"),
    "members.duty.updated": _("担当業務の更新"),
    "members.profile.identity_changed": _("氏名・所属の変更"),
    "members.profile.updated": _("プロフィールの更新"),
    # moderation (moderation.case.<decision>)
    "moderation.case.hide": _("報告対応: 非表示"),
    "moderation.case.restore": _("報告対応: 元に戻す"),
    "moderation.case.dismiss": _("報告対応: 対応しない"),
    "moderation.case.warn": _("報告対応: 投稿者に注意"),
    "moderation.case.suspend": _("報告対応: 投稿者を利用停止"),
    # organizations
    "organizations.reference.imported": _("団体一覧の取り込み"),
    # posts
    "posts.comment.deleted": _("コメントの削除"),
    "posts.comment.restored": _("コメントの復元"),
    "posts.post.deleted": _("投稿の削除"),
    "posts.post.pinned": _("投稿の固定"),
    "posts.post.restored": _("投稿の復元"),
    "posts.post.unpinned": _("投稿の固定解除"),
    # sections
    "sections.member.approved": _("課への参加の承認"),
    "sections.member.declined": _("課への参加の見送り"),
    "sections.member.joined": _("課への参加"),
    "sections.member.left": _("課からの退出"),
    "sections.member.requested": _("課への参加の申請"),
    "sections.member.role_changed": _("課の役割の変更"),
    "sections.section.archived": _("課のアーカイブ"),
    "sections.section.created": _("課の作成"),
    "sections.section.updated": _("課の更新"),
}


def audit_label(code: str) -> str:
    label = LABELS.get(code)
    return str(label) if label is not None else code
