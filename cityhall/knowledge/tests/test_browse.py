from django.urls import reverse

from cityhall.knowledge.tests.conftest import days_ago, make_entry
from cityhall.members.models import Duty


def test_it_lists_published_entries_with_their_duties_and_tags(as_user, staff, member, vaccination):
    make_entry(staff, duties=[vaccination], tags=["接種券"])
    page = as_user(member).get(reverse("knowledge:list")).content.decode()
    assert "接種券を紛失した方への再発行" in page
    assert f'href="?duty={vaccination.pk}"' in page
    assert "#接種券" in page


def test_it_filters_by_duty_tag_and_text(as_user, staff, member, vaccination):
    other = Duty.objects.get_or_create(name="広報", defaults={"kana": "コウホウ"})[0]
    make_entry(staff, question="接種券の再発行", duties=[vaccination], tags=["接種券"])
    make_entry(staff, question="広報紙での周知", duties=[other], tags=["周知"])
    make_entry(staff, question="副反応の相談窓口", answer="ｺｰﾙｾﾝﾀｰで受けます", tags=["副反応"])
    client = as_user(member)
    url = reverse("knowledge:list")

    def questions(**params: str) -> str:
        return client.get(url, params).content.decode()

    by_duty = questions(duty=str(vaccination.pk))
    assert "接種券の再発行" in by_duty and "広報紙での周知" not in by_duty
    by_tag = questions(tag="周知")
    assert "広報紙での周知" in by_tag and "接種券の再発行" not in by_tag
    # Full-width, half-width and hiragana/katakana are matched alike.
    by_text = questions(q="こーるせんたー")
    assert "副反応の相談窓口" in by_text and "接種券の再発行" not in by_text
    # An unknown duty is ignored rather than refused.
    assert "接種券の再発行" in questions(duty="abc")


def test_it_says_when_nothing_matches_and_when_nothing_exists(as_user, member, staff):
    client = as_user(member)
    assert (
        "公開されているFAQはまだありません。"
        in client.get(reverse("knowledge:list")).content.decode()
    )
    make_entry(staff)
    page = client.get(reverse("knowledge:list"), {"q": "存在しない言葉"}).content.decode()
    assert "条件に合うFAQは見つかりませんでした。" in page


def test_it_pages_the_list_keeping_the_filters(
    as_user, member, staff, django_assert_max_num_queries
):
    for n in range(25):
        make_entry(staff, question=f"質問その{n}", tags=["接種券", "会場運営"])
    client = as_user(member)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("knowledge:list"), {"tag": "接種券"}).content.decode()
    assert "1 / 2 ページ" in first and "tag=%E6%8E%A5%E7%A8%AE%E5%88%B8&amp;page=2" in first
    second = client.get(reverse("knowledge:list"), {"tag": "接種券", "page": "2"})
    assert second.content.decode().count('class="stack faq-item"') == 5


def test_it_lets_writers_list_only_drafts(as_user, writer, staff):
    make_entry(staff, question="公開済みの質問")
    make_entry(staff, question="まだ下書きの質問", status="draft")
    page = as_user(writer).get(reverse("knowledge:list"), {"drafts": "on"}).content.decode()
    assert "まだ下書きの質問" in page and "公開済みの質問" not in page


def test_it_shows_an_entry_with_its_notice_and_source(as_user, member, staff, vaccination):
    entry = make_entry(
        staff,
        duties=[vaccination],
        notice_title="新型コロナワクチン接種の実施に関する手引き",
        notice_issuer="厚生労働省",
        notice_date=days_ago(40),
        notice_url="https://www.mhlw.go.jp/tebiki.pdf",
        source_note="情報交換会 第3回",
    )
    page = as_user(member).get(reverse("knowledge:detail", args=[entry.pk])).content.decode()
    assert "<strong>窓口で即日再発行</strong>" in page
    assert 'href="https://www.mhlw.go.jp/tebiki.pdf"' in page and "厚生労働省" in page
    assert "情報交換会 第3回" in page
    assert f"/faq/?duty={vaccination.pk}" in page
    assert "/faq/?tag=%E6%8E%A5%E7%A8%AE%E5%88%B8" in page
    assert "1年以上前のもの" not in page


def test_it_warns_that_old_information_may_be_out_of_date(as_user, member, staff):
    entry = make_entry(staff, as_of=days_ago(400))
    client = as_user(member)
    page = client.get(reverse("knowledge:detail", args=[entry.pk])).content.decode()
    assert "1年以上前のもの" in page and "最新の通知等もあわせてご確認ください" in page
    assert "1年以上前の情報" in client.get(reverse("knowledge:list")).content.decode()


def test_it_renders_hostile_markdown_inert(as_user, member, staff):
    entry = make_entry(
        staff,
        answer='<script>alert("x")</script>\n\n[押して](javascript:alert(1))\n\n'
        "<img src=x onerror=alert(1)>",
    )
    page = as_user(member).get(reverse("knowledge:detail", args=[entry.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert "<img" not in page
