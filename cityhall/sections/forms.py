from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.core.images import clean_form_image
from cityhall.sections.models import Section, SectionMembership

COVER_SIDE = 1200  # wider than a profile photo: shown across the section page
RESERVED_SLUGS = {"mine", "new"}  # member and staff page paths
IMAGE_TYPES = "image/jpeg,image/png,image/webp"


class SectionForm(forms.ModelForm):
    cover_upload = forms.FileField(
        label=_("カバー画像"),
        required=False,
        help_text=_("JPEG・PNG・WebP（5MBまで）。撮影データは取り除いて保存します。"),
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
    )
    remove_cover = forms.BooleanField(label=_("カバー画像を削除する"), required=False)

    class Meta:
        model = Section
        fields = ["name", "slug", "kind", "purpose", "joining_rule", "is_closed"]
        help_texts = {"slug": _("半角英数字とハイフン（例: bousai）。URLに使います。")}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 5})}

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("このURL用の名前は使えません。別の名前にしてください。"))
        return slug

    def clean_cover_upload(self) -> Any:
        return clean_form_image(self.cleaned_data.get("cover_upload"), max_side=COVER_SIDE)

    def section_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}

    def cover_change(self) -> Any:
        """A clean image, False to remove the cover, or None to keep it."""
        if self.cleaned_data.get("cover_upload"):
            return self.cleaned_data["cover_upload"]
        if self.cleaned_data.get("remove_cover"):
            return False
        return None


class RoleForm(forms.Form):
    email = forms.EmailField(
        label=_("会員のメールアドレス"),
        help_text=_("役割を設定する会員の登録メールアドレスを入力してください。"),
    )
    role = forms.ChoiceField(label=_("役割"), choices=SectionMembership.Role.choices)

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email, status=User.Status.MEMBER).first()
        if user is None:
            raise ValidationError(_("このメールアドレスの会員が見つかりません。"))
        return user


class MemberRoleForm(forms.Form):
    """A leader (or staff) changing the role of someone already in the section."""

    user_id = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("役割"), choices=SectionMembership.Role.choices)
