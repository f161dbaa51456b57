from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.broadcasts.models import WEEKDAYS, Episode, Programme
from cityhall.core.images import clean_form_image
from cityhall.core.jst import JST, now_jst

COVER_SIDE = 1200
MAX_PERSONALITIES = 10


def https_only(url: str) -> str:
    if url and not url.lower().startswith("https://"):
        raise ValidationError(_("https:// で始まるURLを入力してください。"))
    return url


class ProgrammeForm(forms.ModelForm):
    weekdays = forms.MultipleChoiceField(
        label=_("放送する曜日"),
        choices=[(str(i), label) for i, label in enumerate(WEEKDAYS)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    personality_emails = forms.CharField(
        label=_("パーソナリティ"),
        help_text=_("会員の登録メールアドレスを1行に1人ずつ（10人まで）。"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    cover_upload = forms.FileField(
        label=_("カバー画像"),
        required=False,
        help_text=_("JPEG・PNG・WebP（5MBまで）。撮影データは取り除いて保存します。"),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = Programme
        fields = ["title", "slug", "description", "slot_start", "slot_minutes"]
        help_texts = {"slug": _("半角英数字とハイフン（例: photo-sunday）。URLに使います。")}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "slot_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("weekdays", list(self.instance.slot_weekdays))
            emails = self.instance.personalities.values_list("email", flat=True)
            self.initial.setdefault("personality_emails", "\n".join(emails))

    def clean_personality_emails(self) -> list[User]:
        emails = [e.strip() for e in self.cleaned_data["personality_emails"].split() if e.strip()]
        if len(emails) > MAX_PERSONALITIES:
            raise ValidationError(_("パーソナリティは10人までです。"))
        emails = list(dict.fromkeys(e.lower() for e in emails))  # stored lower-case
        found = {
            u.email: u for u in User.objects.filter(status=User.Status.MEMBER, email__in=emails)
        }
        missing = [e for e in emails if e not in found]
        if missing:
            raise ValidationError(
                _("次のメールアドレスの会員が見つかりません: %(emails)s")
                % {"emails": "、".join(missing)}
            )
        return list(found.values())

    def clean_cover_upload(self) -> Any:
        return clean_form_image(self.cleaned_data.get("cover_upload"), max_side=COVER_SIDE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("weekdays") and not data.get("slot_start"):
            self.add_error(
                "slot_start", _("放送する曜日を選んだときは、開始時刻も入力してください。")
            )
        return data

    def save(self, commit: bool = True) -> Programme:
        programme = super().save(commit=False)
        programme.slot_weekdays = "".join(sorted(self.cleaned_data.get("weekdays") or []))
        return programme


def https_by_default(field: Any, **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class EpisodeForm(forms.ModelForm):
    """Times are typed in Japan time: a date, a start and a length."""

    day = forms.DateField(label=_("放送日"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("開始時刻"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("放送時間（分）"), min_value=5, max_value=360)

    class Meta:
        model = Episode
        fields = [
            "title",
            "description",
            "guests",
            "source",
            "stream_url",
            "archive_url",
            "chapters",
        ]
        formfield_callback = https_by_default
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "chapters": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        if self.instance.pk:
            starts = self.instance.starts_at.astimezone(JST)
            self.initial.update(
                day=starts.date(), start=starts.time(), minutes=self.instance.minutes
            )
        else:
            slot = next_slot(programme)
            if slot is not None:
                self.initial.update(day=slot.date(), start=slot.time())
            self.initial["minutes"] = programme.slot_minutes

    def clean_stream_url(self) -> str:
        return https_only(self.cleaned_data["stream_url"])

    def clean_archive_url(self) -> str:
        return https_only(self.cleaned_data["archive_url"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, minutes = data.get("day"), data.get("start"), data.get("minutes")
        if day and start and minutes:
            starts = datetime.combine(day, start, tzinfo=JST)
            self.instance.starts_at = starts
            self.instance.ends_at = starts + timedelta(minutes=minutes)
        external = data.get("source") == Episode.Source.EXTERNAL
        if external and not data.get("stream_url") and not data.get("archive_url"):
            self.add_error(
                "stream_url", _("外部の配信サービスで放送するときは、配信ページのURLが必要です。")
            )
        return data


def next_slot(programme: Programme, after: datetime | None = None) -> datetime | None:
    """The programme's next regular start in Japan time, or None without a slot."""
    if not programme.slot_weekdays or programme.slot_start is None:
        return None
    after = (after or now_jst()).astimezone(JST)
    for offset in range(8):
        day: date = after.date() + timedelta(days=offset)
        if str(day.weekday()) not in programme.slot_weekdays:
            continue
        candidate = datetime.combine(day, programme.slot_start, tzinfo=JST)
        if candidate > after:
            return candidate
    return None
