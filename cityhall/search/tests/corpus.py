"""The shared Japanese test corpus and what searching it must give.

Expectations are written for the `member` persona: a member of no section, so the closed
section's post (p9) and its comment (c2) are out of sight, as is the deleted post (p10).
"""

from typing import Any

POSTS: dict[str, dict[str, Any]] = {
    "p1": {
        "kind": "question",
        "title": "新型コロナワクチン接種の予約システムについて",
        "body": "集団接種の予約をWebとコールセンターで受け付けています。高齢者のWeb予約が"
        "伸び悩んでおり、他の自治体ではどのように工夫されていますか。",
        "day": 1,
    },
    "p2": {
        "kind": "case_study",
        "title": "ワクチン接種会場の混雑を解消した事例",
        "body": "接種会場の受付にタブレットを導入し、予診票の確認を事前に行うことで待ち時間を"
        "半減しました。",
        "day": 2,
    },
    "p3": {
        "title": "財政課題の見える化",
        "body": "財政状況と税収の推移を住民に分かりやすく伝えるため、財務書類をグラフにして"
        "ホームページで公開しました。課題は毎年の更新の手間です。",
        "day": 3,
    },
    "p4": {
        "kind": "question",
        "title": "防災訓練の参加者を増やすには",
        "body": "毎年の総合防災訓練の参加者が減っています。若い世代に防災を身近に感じて"
        "もらう工夫を教えてください。",
        "section": "bousai",
        "author": "leader",
        "day": 4,
    },
    "p5": {
        "kind": "case_study",
        "title": "ｅ－Ｔａｘ連携でスマート申告",
        "body": "確定申告の相談会でe-Taxの利用を案内し、窓口の待ち時間を短縮しました。",
        "day": 5,
    },
    "p6": {
        "title": "サーバー更改のスケジュール",
        "body": "基幹系システムのサーバー更改を来年度に予定しています。ガバメントクラウドへの"
        "移行も検討中です。",
        "day": 6,
    },
    "p7": {"title": "ｻｰﾊﾞｰ室の空調", "body": "庁舎のサーバ室の空調が故障しました。", "day": 7},
    "p8": {
        "kind": "question",
        "title": "マイナンバーカードの交付率を上げる方法",
        "body": "休日の臨時窓口や出張申請を実施していますが、交付率が伸びません。",
        "day": 8,
    },
    "p9": {
        "title": "職員の人事評価制度の見直し",
        "body": "人事評価の課題について意見交換したいです。防災担当の異動も含めて。",
        "section": "jinji",
        "author": "leader",
        "day": 9,
    },
    "p10": {
        "title": "防災無線の更新",
        "body": "同報系防災無線のデジタル化について。",
        "deleted": True,
        "day": 10,
    },
    "p11": {
        "title": "「地域おこし協力隊」の任期後の定着",
        "body": "協力隊OBの定住率を高める取り組みを紹介します。起業支援が効果的でした。",
        "day": 11,
    },
    "p12": {
        "title": "Excel マクロで業務効率化",
        "body": "VBAで住民異動届の集計を自動化しました。RPAとの使い分けも検討しています。",
        "author": "outsider",
        "day": 12,
    },
}

COMMENTS: dict[str, dict[str, Any]] = {
    "c1": {
        "post": "p4",
        "body": "うちでは防災訓練に地元の中学生が参加しています。学校と連携すると参加者が"
        "増えました。",
        "day": 13,
    },
    "c2": {"post": "p9", "body": "人事異動の時期も課題です。", "day": 14},
}

# (query, every hit expected, the expected first hit by relevance) — as the `member` persona.
EXPECTED: list[tuple[str, set[str], str]] = [
    ("接種", {"p1", "p2"}, "p2"),
    ("予約", {"p1"}, "p1"),
    ("課題", {"p3"}, "p3"),
    ("財政", {"p3"}, "p3"),
    ("防災", {"p4", "c1", "bousai"}, "p4"),
    ("サーバー", {"p6", "p7"}, "p6"),
    ("ｻｰﾊﾞ", {"p6", "p7"}, "p7"),  # as relevant as p6, and newer
    ("サーバ室", {"p7"}, "p7"),
    ("e-tax", {"p5"}, "p5"),
    ("Ｅ－ＴＡＸ", {"p5"}, "p5"),
    ("ワクチン 会場", {"p2"}, "p2"),
    ('"ワクチン接種"', {"p1", "p2"}, "p2"),
    ('"接種 予約"', set(), ""),
    ("ワクチン -会場", {"p1"}, "p1"),
    ("協力隊", {"p11"}, "p11"),
    ("地域おこし", {"p11"}, "p11"),
    ("excel", {"p12"}, "p12"),
    ("ＶＢＡ", {"p12"}, "p12"),
    ("税", {"p3"}, "p3"),
    ("まいなんばー", {"p8"}, "p8"),
    ("交付率", {"p8"}, "p8"),
    ("人事評価", {"jinji"}, "jinji"),
    ("防災無線", set(), ""),
    ("参加者が増えました", {"c1"}, "c1"),
]
