from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from cityhall.core.submissions import SubmissionKeyField
from cityhall.organizations.models import Organization
from cityhall.posts import uploads
from cityhall.posts.models import Attachment, Post
from cityhall.sections.models import Section

LOBBY = ""
COMMENT_MAX = 10000
CASE_TEXT_FIELDS = ["case_period", "case_what", "case_cost", "case_outcome", "case_contact"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by content in uploads.clean_uploads."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [f for f in files if getattr(f, "name", "")]


class WrittenText(forms.CharField):
    """Text a member writes at length. A refusal shows it again as typed, less any NUL
    character (the database cannot store one and a page cannot show one), and says the limit
    and the length, so the member can shorten it instead of writing it again."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        replaced = (MaxLengthValidator, ProhibitNullCharactersValidator)
        self.validators = [v for v in self.validators if not isinstance(v, replaced)]

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data.replace("\x00", "") if isinstance(data, str) else data

    def validate(self, value: Any) -> None:
        super().validate(value)
        errors = []
        if "\x00" in value:
            message = _(
                "使えない文字（NUL文字）が含まれていたため、取り除きました。"
                "内容を確かめて、もう一度送信してください。"
            )
            errors.append(ValidationError(message, code="null_characters_not_allowed"))
            value = value.replace("\x00", "")
        if self.max_length is not None and len(value) > self.max_length:
            errors.append(
                ValidationError(
                    _("%(limit)s文字までにしてください（いまは%(count)s文字です）。"),
                    code="max_length",
                    params={"limit": f"{self.max_length:,}", "count": f"{len(value):,}"},
                )
            )
        if errors:
            raise ValidationError(errors)


class PostFields(forms.ModelForm):
    """Title, body, the case-study fields and attachments, shared by the new-post and edit
    forms."""

    attachments = MultipleFileField(
        label=_("添付ファイル（画像・PDF）"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,application/pdf"}
        ),
    )
    case_organization_code = forms.CharField(
        label=_("実施した団体（団体コード6桁）"),
        required=False,
        max_length=6,
        help_text=_("例: 015113。空欄なら、あなたの所属団体の事例として表示します。"),
    )

    class Meta:
        model = Post
        fields = ["title", "body", *CASE_TEXT_FIELDS]
        field_classes = {"title": WrittenText, "body": WrittenText}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10, "data-mentions": ""}),
            "case_what": forms.Textarea(attrs={"rows": 4}),
            "case_outcome": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"body": _("Markdown が使えます（見出し、箇条書き、表、リンクなど）。")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.case_organization_id:
            self.initial.setdefault("case_organization_code", self.instance.case_organization.code)
        self.fields["attachments"].help_text = _(
            "画像（JPEG・PNG・WebP・GIF）とPDFを%(count)s件まで、1件%(size)sMBまで添付できます。"
            "画像の位置情報などは取り除かれます。"
        ) % {"count": uploads.max_files(), "size": uploads.limit_mb()}

    def kept_attachments(self) -> int:
        """Attachments the post keeps (none for a new post)."""
        return 0

    def clean_attachments(self) -> list[uploads.CleanUpload]:
        files = self.cleaned_data.get("attachments") or []
        return uploads.clean_uploads(files, kept=self.kept_attachments())

    def kind_value(self) -> str:
        return self.instance.kind

    def clean_case_organization_code(self) -> Organization | None:
        code = self.cleaned_data.get("case_organization_code", "").strip()
        if not code:
            return None
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise ValidationError(
                _("この団体コードは見つかりません。6桁の数字で入力してください。")
            )
        return organization

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.kind_value() == Post.Kind.CASE_STUDY and not data.get("case_what"):
            self.add_error("case_what", _("事例では「取り組んだこと」を入力してください。"))
        return data

    def post_data(self) -> dict[str, Any]:
        data = {f: self.cleaned_data.get(f, "") for f in ["title", "body", *CASE_TEXT_FIELDS]}
        data["case_organization"] = self.cleaned_data.get("case_organization_code")
        return data


class NewPostForm(PostFields):
    kind = forms.ChoiceField(label=_("種類"), choices=Post.Kind.choices, initial="discussion")
    where = forms.ChoiceField(label=_("投稿先"), required=False)
    submission_key = SubmissionKeyField()

    field_order = ["kind", "where", "title", "body"]

    def __init__(self, *args: Any, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = {s.slug: s for s in sections}
        self.fields["where"].choices = [  # type: ignore[attr-defined]
            (LOBBY, _("全体（すべての会員）")),
            *[(s.slug, s.name) for s in sections],
        ]

    def kind_value(self) -> str:
        return str(self.cleaned_data.get("kind", ""))

    def clean_where(self) -> Section | None:
        slug = self.cleaned_data.get("where") or LOBBY
        return self.sections.get(slug) if slug != LOBBY else None


class EditPostForm(PostFields):
    """The edit form also removes attachments (cleaned before new ones are counted)."""

    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("削除する添付ファイル"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["title", "body", "remove_attachments", "attachments"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["remove_attachments"]
        field.queryset = self.instance.attachments.order_by("id")  # type: ignore[attr-defined]
        self.current_attachments = list(field.queryset)  # type: ignore[attr-defined]

    def kept_attachments(self) -> int:
        removed = self.cleaned_data.get("remove_attachments") or []
        return len(self.current_attachments) - len(removed)


class CommentForm(forms.Form):
    body = WrittenText(
        label=_("コメント"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "data-mentions": ""}),
        error_messages={"required": _("コメントを入力してください。")},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    submission_key = SubmissionKeyField()
