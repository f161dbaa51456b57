"""The shared Japanese test corpus and what searching it must give.

Expectations are written for the `member` persona: a member of no section, so the closed
section's post (p9), its comment (c2), series (s2) and session (e4) are out of sight, as are the
deleted post (p10), the FAQ draft (f2) and the archived programme (g2) with its episode (ep2).
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
    ("税", {"p3", "s1", "e1", "f1", "ep1"}, "f1"),  # ふるさと納税, in titles
    ("まいなんばー", {"p8"}, "p8"),
    ("交付率", {"p8"}, "p8"),
    ("人事評価", {"jinji", "f3"}, "f3"),  # not s2 nor e4 (closed section)
    ("防災無線", set(), ""),
    ("参加者が増えました", {"c1"}, "c1"),
]

# --- Study sessions, FAQ entries and broadcasts ---------------------------------------------
# Days are in October 2026, times in Japan. The venue, stream and archive URLs, the stream
# key and the notice URL hold the word "secret" and must never be findable.

SERIES: dict[str, dict[str, Any]] = {
    "s1": {
        "title": "ふるさと納税 実務勉強会",
        "description": "返礼品の選定や寄附受付の事務について、毎月第2水曜日に意見交換します。",
        "day": 14,
    },
    "s2": {
        "title": "人事評価 担当者ミーティング",
        "description": "評価者研修の進め方を話し合います。",
        "section": "jinji",
        "day": 15,
    },
}

EVENTS: dict[str, dict[str, Any]] = {
    "e1": {
        "series": "s1",
        "title": "ふるさと納税 実務勉強会（第1回）返礼品の選び方",
        "description": "**地場産品基準**の考え方と、返礼品事業者の募集方法を取り上げます。",
        "day": 14,
    },
    "e2": {
        "title": "避難所運営ゲーム（HUG）体験会",
        "description": "避難所の運営を図上で体験します。危機管理担当以外の方も歓迎です。",
        "section": "bousai",
        "day": 20,
    },
    "e3": {
        "title": "電子契約の導入事例を聞く会",
        "description": "契約事務のデジタル化に取り組んだ団体から話を聞きます。",
        "cancelled": "講師の都合により中止します。",
        "day": 22,
    },
    "e4": {
        "series": "s2",
        "title": "評価面談のロールプレイ",
        "description": "人事評価の面談を二人一組で練習します。",
        "section": "jinji",
        "day": 15,
    },
}

FAQS: dict[str, dict[str, Any]] = {
    "f1": {
        "question": "ふるさと納税の返礼品に地場産品基準はありますか",
        "answer": "総務省の告示で、返礼品は区域内で生産された**地場産品**であることなどが"
        "定められています。",
        "notice_title": "ふるさと納税に係る指定制度の運用について",
        "notice_issuer": "総務省",
        "tags": ["寄附"],
        "source": "e1",
        "day": 15,
    },
    "f2": {
        "question": "マイナンバーカードの暗証番号を忘れた場合の手続き",
        "answer": "本人が窓口に来庁し、暗証番号の再設定を申請します。",
        "status": "draft",
        "day": 16,
    },
    "f3": {
        "question": "人事評価の評価者研修はいつ行いますか",
        "answer": "毎年4月と10月に、新任の評価者向けの研修を行っています。",
        "source": "e4",  # a closed section's session: the entry is public, its source is not
        "day": 17,
    },
}

PROGRAMMES: dict[str, dict[str, Any]] = {
    "g1": {
        "title": "朝の庁内ラジオ",
        "slug": "asa",
        "description": "全国の自治体職員が、仕事の工夫を気軽に話す番組です。",
    },
    "g2": {
        "title": "窓口改善ラジオ",
        "slug": "madoguchi",
        "description": "窓口ＢＰＲの取り組みを紹介していた番組です。",
        "archived": True,
    },
}

EPISODES: dict[str, dict[str, Any]] = {
    "ep1": {
        "programme": "g1",
        "title": "ゲスト回：ふるさと納税の担当者に聞く",
        "description": "返礼品の開拓の苦労話を伺いました。",
        "guests": "寄附推進室の係長",
        "chapters": "0:00 オープニング\n5:30 返礼品の開拓",
        "day": 16,
    },
    "ep2": {
        "programme": "g2",
        "title": "書かない窓口の始め方",
        "description": "申請書を書かずに済む窓口の仕組みを紹介します。",
        "day": 9,
    },
    "ep3": {
        "programme": "g1",
        "title": "年末調整の準備",
        "description": "扶養控除の申告書の回収について話します。",
        "cancelled": True,
        "day": 23,
    },
}

# As the `member` persona: the closed section's series (s2) and session (e4), the draft (f2)
# and the archived programme (g2) with its episode (ep2) are out of sight.
EXPECTED += [
    ("ふるさと納税", {"s1", "e1", "f1", "ep1"}, "f1"),
    ("返礼品", {"s1", "e1", "f1", "ep1"}, "f1"),  # as relevant as e1, and newer
    ("地場産品", {"e1", "f1"}, "f1"),
    ("避難所", {"e2"}, "e2"),
    ("電子契約", {"e3"}, "e3"),  # cancelled, still findable
    ("講師の都合", {"e3"}, "e3"),
    ("暗証番号", set(), ""),  # a draft
    ("評価者研修", {"f3"}, "f3"),  # s2 says so too, in a closed section
    ("面談", set(), ""),
    ("書かない窓口", set(), ""),  # an archived programme's episode
    ("窓口改善", set(), ""),
    ("庁内ラジオ", {"g1"}, "g1"),
    ("年末調整", {"ep3"}, "ep3"),  # cancelled, still findable
    ("総務省", {"f1"}, "f1"),
    ("寄附", {"s1", "f1", "ep1"}, "ep1"),  # equals: the newest first
    ("secret", set(), ""),
    ("zoom", set(), ""),
]
