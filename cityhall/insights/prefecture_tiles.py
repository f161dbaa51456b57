"""Where each prefecture sits on the tile-grid map of Japan.

Every prefecture is one square of the same size, placed by hand so that neighbours stay roughly
neighbours: Hokkaido top right, Tohoku down the right edge, Kanto below it, Chubu and Kansai in
the middle, Chugoku with Shikoku under it, Kyushu on the left and Okinawa bottom left. Equal
squares give small prefectures (Tokyo, Osaka, Kagawa) as much room as Hokkaido, which a real map
would not, and that is what a map of coverage by prefecture needs.
"""

# Two-digit prefecture code → (column, row, short label). Columns 0–12, rows 0–9.
TILES: dict[str, tuple[int, int, str]] = {
    "01": (12, 0, "北海道"),
    "02": (12, 1, "青森"),
    "03": (12, 2, "岩手"),
    "04": (12, 3, "宮城"),
    "05": (11, 2, "秋田"),
    "06": (11, 3, "山形"),
    "07": (11, 4, "福島"),
    "08": (12, 5, "茨城"),
    "09": (11, 5, "栃木"),
    "10": (10, 5, "群馬"),
    "11": (11, 6, "埼玉"),
    "12": (12, 6, "千葉"),
    "13": (11, 7, "東京"),
    "14": (10, 7, "神奈川"),
    "15": (10, 4, "新潟"),
    "16": (9, 4, "富山"),
    "17": (8, 4, "石川"),
    "18": (7, 4, "福井"),
    "19": (10, 6, "山梨"),
    "20": (9, 5, "長野"),
    "21": (8, 5, "岐阜"),
    "22": (9, 7, "静岡"),
    "23": (9, 6, "愛知"),
    "24": (8, 7, "三重"),
    "25": (7, 5, "滋賀"),
    "26": (6, 5, "京都"),
    "27": (7, 6, "大阪"),
    "28": (6, 6, "兵庫"),
    "29": (8, 6, "奈良"),
    "30": (7, 7, "和歌山"),
    "31": (5, 5, "鳥取"),
    "32": (4, 5, "島根"),
    "33": (5, 6, "岡山"),
    "34": (4, 6, "広島"),
    "35": (3, 6, "山口"),
    "36": (5, 8, "徳島"),
    "37": (5, 7, "香川"),
    "38": (4, 7, "愛媛"),
    "39": (4, 8, "高知"),
    "40": (2, 6, "福岡"),
    "41": (1, 6, "佐賀"),
    "42": (0, 6, "長崎"),
    "43": (1, 7, "熊本"),
    "44": (2, 7, "大分"),
    "45": (2, 8, "宮崎"),
    "46": (1, 8, "鹿児島"),
    "47": (0, 9, "沖縄"),
}

COLUMNS = 1 + max(column for column, _, _ in TILES.values())
ROWS = 1 + max(row for _, row, _ in TILES.values())


def tile(code: str) -> tuple[int, int, str]:
    """The tile of a prefecture, by its 2- or 6-digit code."""
    return TILES[code[:2]]
