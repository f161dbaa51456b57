from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.jst import JST
from cityhall.core.submissions import SubmissionKeyField
from cityhall.events import access
from cityhall.events.models import (
    AgendaItem,
    Event,
    EventSeries,
    Frequency,
    Organizer,
    RegistrationQuestion,
)

RESERVED_SLUGS = {"new", "manage", "settings", "feed", "briefing"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class HostsField(forms.CharField):
    """Members named by their email address, one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value: Any) -> list[User]:
        text = super().clean(value)
        emails = [line.strip().lower() for line in (text or "").split() if line.strip()]
        users = list(User.objects.filter(email__in=emails, status=User.Status.MEMBER))
        missing = sorted(set(emails) - {u.email.lower() for u in users})
        if missing:
            raise ValidationError(
                _("会員として見つからないメールアドレスがあります: %(emails)s"),
                params={"emails": "、".join(missing)},
            )
        return users


def venue_field() -> forms.URLField:
    return forms.URLField(
        label=_("オンライン会場のURL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("参加が確定した人と主催者にだけ表示されます。"),
    )


def hosts_initial(hosts: Any) -> str:
    return "\n".join(h.user.email for h in hosts.select_related("user"))


def hosts_field() -> HostsField:
    return HostsField(
        label=_("主催者（会員のメールアドレス、1行に1人）"),
        required=False,
        help_text=_("ここに書いた会員は、この勉強会の編集・申込者の確認ができます。"),
    )


class OrganizerMixin:
    """Staff pick any organiser; leaders and deputies organise in their section's name."""

    fields: dict[str, Any]

    def limit_organizer(self, user: User) -> None:
        self.fields["section"].queryset = self.fields["section"].queryset.filter(
            pk__in=[s.pk for s in access.organizing_sections(user)]
        )
        if not user.is_staff_member:
            self.fields["organizer"].choices = [(Organizer.SECTION, Organizer.SECTION.label)]
            self.fields["organizer"].initial = Organizer.SECTION

    def clean_section_for(self, cleaned: dict[str, Any]) -> None:
        if cleaned.get("organizer") == Organizer.SECTION and not cleaned.get("section"):
            self.add_error("section", _("主催の課を選んでください。"))  # type: ignore[attr-defined]


class SeriesForm(OrganizerMixin, forms.ModelForm):
    venue_url = venue_field()
    hosts = hosts_field()

    class Meta:
        model = EventSeries
        fields = [
            "title", "slug", "description", "organizer", "section", "frequency", "weekday",
            "week_of_month", "start_time", "duration_minutes", "starts_on", "ends_on",
            "skip_holidays", "capacity", "venue_url", "is_active",
        ]  # fmt: skip
        help_texts = {
            "slug": _("半角英数字とハイフン（例: vaccine）。URLに使います。"),
            "start_time": _("日本時間"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "start_time": TIME,
            "starts_on": DATE,
            "ends_on": DATE,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organizer(user)
        if self.instance.pk:
            self.fields["hosts"].initial = hosts_initial(self.instance.hosts)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("このURL用の名前は使えません。別の名前にしてください。"))
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_section_for(cleaned)
        if cleaned.get("frequency") == Frequency.MONTHLY and not cleaned.get("week_of_month"):
            self.add_error("week_of_month", _("毎月の場合は、第何週かを選んでください。"))
        ends, starts = cleaned.get("ends_on"), cleaned.get("starts_on")
        if ends and starts and ends < starts:
            self.add_error("ends_on", _("終了日は開始日より後にしてください。"))
        return cleaned

    def series_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data.get(f) for f in self.Meta.fields}


class WhenFields(forms.Form):
    """A date and a time in Japan time, and a duration."""

    day = forms.DateField(label=_("日付"), widget=DATE)
    start_time = forms.TimeField(label=_("開始時刻（日本時間）"), widget=TIME)
    duration_minutes = forms.IntegerField(
        label=_("所要時間（分）"), min_value=5, max_value=24 * 60, initial=60
    )

    def times(self) -> tuple[datetime, datetime]:
        day: date = self.cleaned_data["day"]
        at: time = self.cleaned_data["start_time"]
        starts = datetime.combine(day, at, tzinfo=JST)
        return starts, starts + timedelta(minutes=self.cleaned_data["duration_minutes"])


class EventForm(OrganizerMixin, forms.ModelForm):
    venue_url = venue_field()
    recording_url = forms.URLField(
        label=_("録画のURL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("終わったあとに会員へ公開する録画（限定公開の動画など）。"),
    )
    hosts = hosts_field()

    class Meta:
        model = Event
        fields = [
            "title", "description", "organizer", "section", "capacity", "waitlist_enabled",
            "walk_ins", "venue_url", "materials", "recording_url", "registration_opens_at",
            "registration_closes_at",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "materials": forms.Textarea(attrs={"rows": 3}),
            "registration_opens_at": DATETIME,
            "registration_closes_at": DATETIME,
        }

    def __init__(self, *args: Any, user: User, fixed_organizer: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if fixed_organizer:  # sessions of a series, and events already created
            del self.fields["organizer"]
            del self.fields["section"]
        else:
            self.limit_organizer(user)
        if self.instance.pk:
            self.fields["hosts"].initial = hosts_initial(self.instance.hosts)

    def clean_materials(self) -> str:
        text = self.cleaned_data.get("materials") or ""
        for line in text.splitlines():
            url = line.strip().rpartition(" ")[2]
            if line.strip() and not url.startswith(("https://", "http://")):
                raise ValidationError(
                    _("資料は「資料名 URL」の形で、URLは https:// から書いてください: %(line)s"),
                    params={"line": line.strip()},
                )
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "organizer" in self.fields:
            self.clean_section_for(cleaned)
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("申込締切は申込開始より後にしてください。"))
        return cleaned

    def event_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.cleaned_data}


class MoveForm(WhenFields):
    reason = forms.CharField(
        label=_("参加者へのひとこと"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("中止の理由（参加者へのお知らせに載ります）"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.ModelForm):
    class Meta:
        model = RegistrationQuestion
        fields = ["label", "help_text", "kind", "choices", "required"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == RegistrationQuestion.Kind.CHOICE:
            choices = [c for c in (cleaned.get("choices") or "").splitlines() if c.strip()]
            if len(choices) < 2:
                self.add_error("choices", _("選択肢を2つ以上、1行に1つずつ書いてください。"))
        return cleaned


class RegistrationForm(forms.Form):
    """One field per host question (q_<id>), and the one-time key that makes a second submit
    return the first registration."""

    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, questions: list[RegistrationQuestion], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.questions = questions
        for q in questions:
            field: forms.Field
            if q.kind == RegistrationQuestion.Kind.CHOICE:
                field = forms.ChoiceField(
                    choices=[("", "---------")] + [(c, c) for c in q.choice_list()]
                )
            elif q.kind == RegistrationQuestion.Kind.LONG:
                field = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
            else:
                field = forms.CharField(max_length=300)
            field.label, field.help_text, field.required = q.label, q.help_text, q.required
            self.fields[f"q_{q.pk}"] = field

    def answers(self) -> dict[int, str]:
        return {q.pk: str(self.cleaned_data.get(f"q_{q.pk}") or "") for q in self.questions}


class AgendaItemForm(forms.Form):
    """The question itself is the big box; a short headline for the list is optional and taken
    from the question's first line when left empty."""

    HEADLINE_CHARS = 60

    detail = forms.CharField(
        label=_("聞きたいこと"),
        min_length=4,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "背景や、自分の自治体での状況も書くと伝わりやすくなります。住民の個人情報は書かないでください。"
        ),
        error_messages={
            "required": _("聞きたいことを入力してください。"),
            "min_length": _("もう少し具体的に書いてください（4文字以上）。"),
            "max_length": _("2000文字以内で入力してください（現在%(show_value)d文字）。"),
        },
    )
    title = forms.CharField(
        label=_("見出し（任意）"),
        required=False,
        max_length=120,
        help_text=_("一覧に表示する短い見出しです。空欄なら、聞きたいことの書き出しを使います。"),
        error_messages={
            "max_length": _("120文字以内で入力してください（現在%(show_value)d文字）。"),
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        question = (cleaned.get("detail") or "").strip()
        if question and not (cleaned.get("title") or "").strip():
            first_line = question.splitlines()[0].strip()
            if first_line == question and len(question) <= 120:
                # A one-line question is its own headline; nothing more to show below it.
                cleaned["title"], cleaned["detail"] = question, ""
            elif len(first_line) > self.HEADLINE_CHARS:
                cleaned["title"] = first_line[: self.HEADLINE_CHARS] + "…"
            else:
                cleaned["title"] = first_line
        return cleaned


class AgendaDecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=AgendaItem.Status.choices)
    note = forms.CharField(label=_("ひとこと"), required=False, max_length=500)


class ReportUploadForm(forms.Form):
    report = forms.FileField(
        label=_("参加者レポート（CSV）"),
        help_text=_(
            "Zoom の「参加者」レポートを CSV で保存したもの"
            "（UTF-8 または Shift_JIS、2MB・5,000行まで）。"
            "メールアドレス、次に氏名で会員と照合します。保存する前に結果を確認できます。"
        ),
        error_messages={"required": _("ファイルを選んでください。")},
    )
