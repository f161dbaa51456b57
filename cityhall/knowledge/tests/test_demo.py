import io

from django.core.management import call_command

from cityhall.knowledge.models import FaqEntry


def test_it_loads_a_published_vaccination_faq_once(staff, leader, settings):
    settings.DEBUG = True
    call_command("load_demo_knowledge", stdout=io.StringIO())
    entries = FaqEntry.objects.all()
    published = entries.filter(status="published")
    assert 15 <= published.count() <= 25
    assert entries.filter(status="draft").exists()
    assert published.filter(tags__name="接種券").exists()
    assert published.filter(tags__name="国の通知").exclude(notice_title="").exists()
    assert published.filter(duties__name="予防接種").exists()
    revised = entries.get(question__startswith="ファイザー社ワクチンの解凍後")
    assert revised.version == 2 and revised.revisions.count() == 2
    assert "1か月間" in revised.answer
    count = entries.count()
    call_command("load_demo_knowledge", stdout=io.StringIO())
    assert FaqEntry.objects.count() == count
