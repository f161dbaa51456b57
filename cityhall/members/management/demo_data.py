"""What the demo community is made of: people, places, departments, greetings, the queue.

The organisations are real (looked up by code in the reference data); the people are invented.
"""

from typing import Any

PASSWORD = "demo-pass-2026"
SEED = 20261101
MEMBER_COUNT = 150
DOMAIN = "demo.cityhall.jp"

# One account per role; the keys are load_demo's Person fields, plus the label it prints.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "staff": {
        "label": "運営事務局", "email": f"staff@{DOMAIN}", "role": "staff",
        "family_name": "佐々木", "given_name": "由美", "family_name_kana": "ササキ",
        "given_name_kana": "ユミ", "code": "121002", "department": "情報政策課", "title": "係長",
        "duty_names": ["人事・職員研修", "情報システム・DX"],
        "bio": "運営事務局で参加申請の審査と、新しく参加された方のご案内を担当しています。"
        "分からないことがあれば気軽に声をかけてください。",
    },
    "leader": {
        "label": "課長（会員）", "email": f"leader@{DOMAIN}",
        "family_name": "田中", "given_name": "健一", "family_name_kana": "タナカ",
        "given_name_kana": "ケンイチ", "code": "221309", "department": "危機管理課",
        "title": "課長補佐", "duty_names": ["防災", "消防・救急"],
        "bio": "防災を担当して5年目です。防災課の課長として、毎月の定例会を開いています。"
        "避難所運営の工夫を一緒に集めましょう。",
    },
    "member": {
        "label": "会員", "email": f"member@{DOMAIN}",
        "family_name": "新井", "given_name": "さくら", "family_name_kana": "アライ",
        "given_name_kana": "サクラ", "code": "015113", "department": "企画政策課",
        "title": "主事", "duty_names": ["広報", "企画・政策"],
        "bio": "村役場で企画と広報を一人で担当しています。"
        "同じ悩みを持つ小さな自治体の方とつながりたいです。",
    },
    "applicant": {
        "label": "申請者", "email": f"applicant@{DOMAIN}", "status": "applicant",
        "family_name": "山本", "given_name": "翔太", "family_name_kana": "ヤマモト",
        "given_name_kana": "ショウタ", "code": "202029", "department": "子育て支援課",
        "title": "主任", "duty_names": ["児童手当", "保育・幼児教育"],
        "application": {"status": "pending", "days_ago": 0},
    },
}  # fmt: skip

# The review queue. The last one is a second application from the demo member herself
# (same name, same village, a private address): the possible duplicate staff should notice.
_NEEDS_INFO = "ご所属を確認できる情報（職場のメールアドレスなど）を教えていただけますか。"
_REJECTED = "公務員であることを確認できなかったため、今回は承認を見送りました。"
# (name, kana, email, organisation, department, title, status, days ago, staff message, reply)
APPLICATIONS = [
    ("高橋 美咲", "タカハシ ミサキ", "takahashi-misaki@city.yokohama.lg.jp", "141003",
     "こども青少年局 保育対策課", "係長", "pending", 1, "", ""),
    ("伊藤 大輔", "イトウ ダイスケ", "d-ito@pref.nagano.lg.jp", "200000",
     "危機管理部 危機管理防災課", "主任", "pending", 2, "", ""),
    ("小川 千尋", "オガワ チヒロ", "ogawa.chihiro@town.niseko.lg.jp", "013951",
     "企画環境課", "主事", "pending", 3, "", ""),
    ("渡辺 陽介", "ワタナベ ヨウスケ", "watanabe-yosuke@city.sapporo.jp", "011002",
     "市民文化局 地域振興部", "主査", "pending", 4, "", ""),
    ("前田 葵", "マエダ アオイ", "maeda.aoi.0707@gmail.com", "401307",
     "こども未来局 こども家庭課", "主事", "pending", 2, "", ""),
    ("近藤 修", "コンドウ オサム", "kondo-osamu@digital.go.jp", "digital-agency",
     "地方業務システム基盤チーム", "参事官補佐", "pending", 5, "", ""),
    ("石井 奈々", "イシイ ナナ", "ishii-nana@city.setagaya.lg.jp", "131121",
     "保健福祉政策部", "", "unverified", 0, "", ""),
    ("比嘉 剛", "ヒガ ツヨシ", "higa.tsuyoshi@yahoo.co.jp", "472018",
     "総務部 防災危機管理課", "主任", "needs_info", 6, _NEEDS_INFO, ""),
    ("菅原 香織", "スガワラ カオリ", "sugawara-k@city.morioka.lg.jp", "032018",
     "保健福祉部", "保健師", "needs_info", 8,
     "担当されている業務を、もう少し詳しく教えてください。",
     "母子保健と予防接種を担当しています。乳幼児健診の運営をしています。"),
    ("工藤 隆", "クドウ タカシ", "kudo.takashi.biz@gmail.com", "022012",
     "", "", "rejected", 12, _REJECTED, ""),
    ("新井 さくら", "アライ サクラ", "arai.sakura.sarufutsu@gmail.com", "015113",
     "企画政策課", "主事", "pending", 1, "", ""),
]  # fmt: skip


def _words(text: str) -> list[str]:
    return text.split()


# Well-known places first; the rest of the members are spread over a seeded sample of all
# local governments, so the community reaches small towns and villages too.
FEATURED_CODES = _words("""
    011002 012025 015113 013951 022012 032018 041009 052019 062014 072036 082201 092011
    102024 111007 121002 131041 131121 131130 132012 141003 141305 151009 162019 172014
    182079 192015 202029 205419 212016 221309 231002 232114 252018 261009 271004 271403
    281000 282049 292010 312011 322016 325252 331007 332020 341002 352039 372013 382019
    392014 401005 401307 412015 431001 442011 452017 462012 472018 130001 270008 010006
    400009
""")
SAMPLED_ORGANIZATIONS = 45
NATIONAL_SLUGS = ["digital-agency", "ministry-of-internal-affairs-and-communications"]


def _names(table: str) -> list[tuple[str, str, str]]:
    """ "佐藤/サトウ/sato 鈴木/スズキ/suzuki …" → [(kanji, kana, romaji), …]"""
    return [tuple(entry.split("/")) for entry in table.split()]  # type: ignore[misc]


FAMILY_NAMES = _names("""
    佐藤/サトウ/sato 鈴木/スズキ/suzuki 高橋/タカハシ/takahashi 田中/タナカ/tanaka 伊藤/イトウ/ito
    渡辺/ワタナベ/watanabe 山本/ヤマモト/yamamoto 中村/ナカムラ/nakamura 小林/コバヤシ/kobayashi
    加藤/カトウ/kato 吉田/ヨシダ/yoshida 山田/ヤマダ/yamada 佐々木/ササキ/sasaki
    山口/ヤマグチ/yamaguchi 松本/マツモト/matsumoto 井上/イノウエ/inoue 木村/キムラ/kimura
    林/ハヤシ/hayashi 斎藤/サイトウ/saito 清水/シミズ/shimizu 山崎/ヤマザキ/yamazaki 森/モリ/mori
    池田/イケダ/ikeda 橋本/ハシモト/hashimoto 阿部/アベ/abe 石川/イシカワ/ishikawa
    山下/ヤマシタ/yamashita 中島/ナカジマ/nakajima 石井/イシイ/ishii 小川/オガワ/ogawa
    前田/マエダ/maeda 岡田/オカダ/okada 長谷川/ハセガワ/hasegawa 藤田/フジタ/fujita 後藤/ゴトウ/goto
    近藤/コンドウ/kondo 村上/ムラカミ/murakami 遠藤/エンドウ/endo 青木/アオキ/aoki
    坂本/サカモト/sakamoto 金城/キンジョウ/kinjo 比嘉/ヒガ/higa 工藤/クドウ/kudo
    菅原/スガワラ/sugawara
""")
GIVEN_NAMES = _names("""
    翔太/ショウタ/shota 大輔/ダイスケ/daisuke 健一/ケンイチ/kenichi 拓也/タクヤ/takuya
    直樹/ナオキ/naoki 誠/マコト/makoto 亮/リョウ/ryo 和也/カズヤ/kazuya 達也/タツヤ/tatsuya
    浩二/コウジ/koji 隆/タカシ/takashi 剛/ツヨシ/tsuyoshi 悠斗/ユウト/yuto 蓮/レン/ren
    陽介/ヨウスケ/yosuke 慎也/シンヤ/shinya 大樹/ダイキ/daiki 修/オサム/osamu 美咲/ミサキ/misaki
    彩/アヤ/aya 陽子/ヨウコ/yoko 恵/メグミ/megumi 麻衣/マイ/mai 由美/ユミ/yumi 真由美/マユミ/mayumi
    沙織/サオリ/saori 智子/トモコ/tomoko 裕子/ユウコ/yuko 千尋/チヒロ/chihiro 香織/カオリ/kaori
    葵/アオイ/aoi 結衣/ユイ/yui 奈々/ナナ/nana 明美/アケミ/akemi 直子/ナオコ/naoko 優花/ユウカ/yuka
""")

# Departments by the category of a member's main duty, so the two tell one story.
DEPARTMENTS = {
    "子ども・子育て": "子育て支援課 こども家庭課 保育課",
    "健康・医療": "健康推進課 保険年金課 保健センター",
    "福祉": "高齢福祉課 障害福祉課 生活福祉課 介護保険課",
    "窓口・住民サービス": "市民課 住民課 戸籍住民課",
    "税": "税務課 収納課 資産税課",
    "教育・文化・スポーツ": "教育総務課 学校教育課 生涯学習課 文化スポーツ課",
    "産業・観光": "商工観光課 農林水産課 産業振興課",
    "地域づくり": "地域振興課 企画政策課 協働推進課",
    "まちづくり・インフラ": "都市計画課 建設課 上下水道課",
    "環境": "環境政策課 生活環境課",
    "安全・安心": "危機管理課 防災危機管理課 消防総務課",
    "行政経営": "企画政策課 総務課 財政課 情報政策課 DX推進課 人事課 広報広聴課",
    "議会・選挙・監査": "議会事務局 選挙管理委員会事務局 監査委員事務局",
}
OTHER_DEPARTMENTS = DEPARTMENTS["行政経営"]
# Repeated entries make the common ranks common.
TITLES = _words("主事 主事 主事 主任 主任 主査 係長 係長 主幹 課長補佐 課長 技師 保健師 -")

GREETINGS = [
    "{dept}で{duty}を担当しています。",
    "{org}の{dept}に勤めています。主に{duty}の仕事をしています。",
    "今年度から{duty}の担当になりました。まだ分からないことだらけです。",
    "{duty}の担当は{years}年目です。",
]
BIO_SENTENCES = [
    "他の自治体の取り組みを知りたくて参加しました。",
    "同じ業務の方と情報交換できるとうれしいです。",
    "勉強会にはできるだけ参加したいと思っています。",
    "前職は民間のIT企業でした。",
    "子育て中なので、夜の時間に少しずつ参加します。",
    "少ない人数で、一人で何役も担当しています。",
    "庁内のDX推進チームにも入っています。",
    "異動してきたばかりで、前任者のメモを頼りに仕事をしています。",
    "庁内放送はいつも通勤中に聞いています。",
    "困ったときはお互いさま。気軽に声をかけてください。",
    "来年度の制度改正に向けて準備を進めています。",
    "休日は地元の祭りの手伝いをしています。",
]
INTERESTS = [
    "書かない窓口、窓口DX", "防災DX、避難所運営の改善", "子育て支援、児童虐待の防止",
    "ふるさと納税の返礼品づくり", "EBPM、データの活用", "広報、SNSの運用",
    "職員研修、若手職員の育成", "移住定住の施策", "生成AIの業務での活用", "地域公共交通",
    "公共施設の再編", "ノーコードツールでの業務改善", "地域おこし協力隊との協働",
]  # fmt: skip
