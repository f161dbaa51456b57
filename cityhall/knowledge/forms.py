import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.jst import now_jst, to_jst
from cityhall.core.text import normalize
from cityhall.events.access import visible_events, visible_series
from cityhall.events.models import Event
from cityhall.knowledge.access import writable_events, writes_any_faq
from cityhall.knowledge.models import FaqEntry, FaqQuerySet, tag_name
from cityhall.members.forms import DutyChoiceField, DutyGroupsMixin
from cityhall.members.models import Duty

MAX_TAGS = 10
TAG_MAX = 30
# Tags are typed in one box, separated by commas or the Japanese comma (、).
TAG_SEPARATORS = re.compile(r"[,、\n]")
# The newest sessions offered as an entry's source (the select stays short at 10,000 events).
SOURCE_CHOICES = 200
TOO_LONG = _("%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。")


def _text(label: Any, max_length: int, *, required: bool = False, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": format_lazy(_("{label}を入力してください。"), label=label),
            "max_length": TOO_LONG,
        },
        **kwargs,
    )


def _date(label: Any, *, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": format_lazy(_("{label}を入力してください。"), label=label),
            "invalid": _("日付は 2021-05-09 のように入力してください。"),
        },
        **kwargs,
    )


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{to_jst(obj.starts_at):%Y/%m/%d} {obj.title}"


class FaqForm(DutyGroupsMixin, forms.Form):
    # The version the writer started from; a newer stored version means someone else saved.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    question = _text(_("質問"), 200, required=True)
    answer = _text(
        _("回答"),
        20000,
        required=True,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown が使えます（見出し、箇条書き、表、リンクなど）。"),
    )
    as_of = _date(
        _("情報の時点"),
        required=True,
        help_text=_("この回答が正しいと確認した日。制度や通知が変わったら更新してください。"),
    )
    tags = _text(
        _("タグ"),
        400,
        help_text=_("読点（、）かカンマで区切ります（例：接種券、予約システム）。10個まで。"),
    )
    duties = DutyChoiceField()
    notice_title = _text(_("通知の件名"), 200, help_text=_("国の通知や事務連絡を反映した場合"))
    notice_issuer = _text(_("発出元"), 100, help_text=_("例：厚生労働省健康局"))
    notice_date = _date(_("通知の日付"))
    notice_url = forms.URLField(
        label=_("通知のURL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": _("URLは https:// から始まる形で入力してください。"),
            "max_length": TOO_LONG,
        },
    )
    source_event = EventChoiceField(
        label=_("元になった勉強会"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("（なし）"),
        help_text=_("この回のFAQ資料にまとめられます。"),
    )
    source_note = _text(
        _("出典"), 200, help_text=_("例：ワクチン接種 情報交換会 第3回（2021年5月16日）")
    )
    status = forms.ChoiceField(
        label=_("公開状態"),
        choices=FaqEntry.Status.choices,
        initial=FaqEntry.Status.DRAFT,
        widget=forms.RadioSelect,
        error_messages={"required": _("公開状態を選んでください。")},
    )

    def __init__(
        self, *args: Any, user: User, entry: FaqEntry | None = None, **kwargs: Any
    ) -> None:
        if entry is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(entry)
        super().__init__(*args, **kwargs)
        # Hosts write only for their own sessions: they must name one.
        self.require_source = not writes_any_faq(user)
        newest = writable_events(user).order_by("-starts_at").values_list("pk", flat=True)
        keep = [entry.source_event_id] if entry is not None and entry.source_event_id else []
        # A source session the editor may not see (a closed section's) is neither listed nor
        # changed: its date and title are not theirs to read, and saving keeps it as it is.
        self.hidden_source: Event | None = None
        if keep and not visible_events(user).filter(pk=keep[0]).exists():
            assert entry is not None
            self.hidden_source = entry.source_event
            keep = []
            del self.fields["source_event"]
        else:
            self.fields["source_event"].queryset = Event.objects.filter(  # type: ignore[attr-defined]
                pk__in=[*newest[:SOURCE_CHOICES], *keep]
            ).order_by("-starts_at")
        duties = self.fields["duties"]
        duties.help_text = _("この回答が役に立つ担当業務（複数可）")
        if entry is not None:
            # An entry keeps duties staff have since retired from the list.
            duties.queryset = Duty.objects.filter(  # type: ignore[attr-defined]
                Q(is_active=True) | Q(faq_entries=entry)
            ).distinct()

    def clean_as_of(self) -> date:
        value: date = self.cleaned_data["as_of"]
        if value > now_jst().date():
            raise ValidationError(_("情報の時点に未来の日付は指定できません。"))
        return value

    def clean_tags(self) -> list[str]:
        names: list[str] = []
        for part in TAG_SEPARATORS.split(tag_name(self.cleaned_data.get("tags", ""))):
            name = part.strip()
            if not name or name in names:
                continue
            if len(name) > TAG_MAX:
                raise ValidationError(
                    _("タグは1つ%(max)d文字以内にしてください（「%(name)s」）。")
                    % {"max": TAG_MAX, "name": name}
                )
            names.append(name)
        if len(names) > MAX_TAGS:
            raise ValidationError(_("タグは%(max)d個までです。") % {"max": MAX_TAGS})
        return names

    def clean_notice_url(self) -> str:
        url: str = self.cleaned_data.get("notice_url", "")
        if url and not url.lower().startswith(("https://", "http://")):
            raise ValidationError(_("URLは https:// から始まる形で入力してください。"))
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        details = data.get("notice_issuer") or data.get("notice_date") or data.get("notice_url")
        if details and not data.get("notice_title"):
            self.add_error("notice_title", _("通知の件名を入力してください。"))
        if self.require_source and not data.get("source_event") and self.hidden_source is None:
            self.add_error("source_event", _("元になった勉強会を選んでください。"))
        return data

    def entry_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        if self.hidden_source is not None:
            data["source_event"] = self.hidden_source
        return data


def initial_from(entry: FaqEntry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "question": entry.question,
        "answer": entry.answer,
        "as_of": entry.as_of,
        "tags": "、".join(t.name for t in entry.tags.all()),
        "duties": list(entry.duties.all()),
        "notice_title": entry.notice_title,
        "notice_issuer": entry.notice_issuer,
        "notice_date": entry.notice_date,
        "notice_url": entry.notice_url,
        "source_event": entry.source_event_id,
        "source_note": entry.source_note,
        "status": entry.status,
    }


class FaqFilterForm(forms.Form):
    """The list's and the documents' filters; bad values are ignored rather than refused."""

    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    duty = forms.ModelChoiceField(
        label=_("担当業務"),
        queryset=Duty.objects.filter(faq_entries__status=FaqEntry.Status.PUBLISHED).distinct(),
        required=False,
        empty_label=_("すべての担当業務"),
    )
    tag = forms.CharField(label=_("タグ"), required=False, max_length=TAG_MAX)
    event = forms.IntegerField(required=False, widget=forms.HiddenInput)
    series = forms.SlugField(required=False, widget=forms.HiddenInput)
    drafts = forms.BooleanField(label=_("下書きだけ表示"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_event(self) -> Event | None:
        """A session the viewer cannot see is answered like one that does not exist."""
        pk = self.cleaned_data.get("event")
        if pk is None:
            return None
        event = visible_events(self.user).filter(pk=pk).first()
        if event is None:
            raise Http404
        return event

    def clean_series(self) -> Any:
        slug = self.cleaned_data.get("series")
        if not slug:
            return None
        series = visible_series(self.user).filter(slug=slug).first()
        if series is None:
            raise Http404
        return series

    def values(self) -> dict[str, Any]:
        """The valid filters given; a bad one (an unknown duty) is left out, not the rest."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    def apply(self, entries: FaqQuerySet) -> FaqQuerySet:
        values = self.values()
        for term in normalize(values.get("q", "")).split():
            entries = entries.filter(search_text__contains=term)
        if "duty" in values:
            entries = entries.filter(duties=values["duty"])
        if "tag" in values:
            entries = entries.filter(tags__name=tag_name(values["tag"]))
        if "event" in values:
            entries = entries.filter(source_event=values["event"])
        if "series" in values:
            entries = entries.filter(source_event__series=values["series"])
        if values.get("drafts"):
            entries = entries.filter(status=FaqEntry.Status.DRAFT)
        return entries

    def label(self) -> str:
        """The selection in words, for the document's title and file name."""
        values = self.values()
        parts = []
        if "series" in values:
            parts.append(values["series"].title)
        if "event" in values:
            event = values["event"]
            parts.append(f"{event.title}（{to_jst(event.starts_at):%Y/%m/%d}）")
        if "duty" in values:
            parts.append(str(values["duty"]))
        if "tag" in values:
            parts.append(tag_name(values["tag"]))
        if "q" in values:
            parts.append(f"「{values['q']}」")
        return " / ".join(parts)
