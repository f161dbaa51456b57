"""The member's own profile form: name, organisation, optional fields and who may see them."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityhall.core.images import clean_image
from cityhall.core.text import is_kana, to_katakana
from cityhall.members.forms import DutyChoiceField, DutyGroupsMixin
from cityhall.members.models import OPTIONAL_PROFILE_FIELDS, Duty, Profile, Visibility
from cityhall.organizations.forms import OrganizationChoiceField

PHOTO_TYPES = "image/jpeg,image/png,image/webp,image/gif"
VISIBILITY_PREFIX = "visibility_"


class ProfileForm(DutyGroupsMixin, forms.Form):
    family_name = forms.CharField(label=_("姓"), max_length=50)
    given_name = forms.CharField(label=_("名"), max_length=50)
    family_name_kana = forms.CharField(label=_("姓（カナ）"), max_length=50)
    given_name_kana = forms.CharField(label=_("名（カナ）"), max_length=50)
    organization = OrganizationChoiceField()
    department = forms.CharField(
        label=_("所属部署"), max_length=100, required=False, help_text=_("例：企画政策課")
    )
    title = forms.CharField(
        label=_("役職"), max_length=60, required=False, help_text=_("例：主事、係長")
    )
    duties = DutyChoiceField()
    interests = forms.CharField(
        label=_("関心のあること"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bio = forms.CharField(
        label=_("自己紹介"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photo = forms.FileField(
        label=_("写真"),
        required=False,
        help_text=_("JPEG・PNG・WebP（5MBまで）。位置情報などの撮影データは取り除いて保存します。"),
        widget=forms.FileInput(attrs={"accept": PHOTO_TYPES}),
    )
    remove_photo = forms.BooleanField(label=_("写真を削除する"), required=False)

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        user = profile.user
        kwargs.setdefault(
            "initial",
            {
                "family_name": user.family_name,
                "given_name": user.given_name,
                "family_name_kana": user.family_name_kana,
                "given_name_kana": user.given_name_kana,
                "organization": profile.organization_id,
                "department": profile.department,
                "title": profile.title,
                "duties": list(profile.duties.values_list("pk", flat=True)),
                "interests": profile.interests,
                "bio": profile.bio,
                **{
                    VISIBILITY_PREFIX + f: profile.visibility_of(f) for f in OPTIONAL_PROFILE_FIELDS
                },
            },
        )
        super().__init__(*args, **kwargs)
        self.profile = profile
        # Retired duties stay ticked for members who already had them.
        self.fields["duties"].queryset = Duty.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(profiles=profile)
        ).distinct()
        for field in OPTIONAL_PROFILE_FIELDS:
            name = Profile._meta.get_field(field).verbose_name  # type: ignore[union-attr]
            self.fields[VISIBILITY_PREFIX + field] = forms.ChoiceField(
                label=gettext("「%(field)s」の公開範囲") % {"field": name},
                choices=Visibility.choices,
            )

    def _clean_kana(self, name: str) -> str:
        value = self.cleaned_data[name].strip()
        if not is_kana(value):
            raise ValidationError(_("カタカナまたはひらがなで入力してください。"), code="kana")
        return to_katakana(value)

    def clean_family_name_kana(self) -> str:
        return self._clean_kana("family_name_kana")

    def clean_given_name_kana(self) -> str:
        return self._clean_kana("given_name_kana")

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        try:
            return clean_image(upload)
        except ValidationError as error:
            # Browsers cannot keep a chosen file across a re-rendered form.
            raise ValidationError(
                [*error.messages, _("お手数ですが、写真をもう一度選んでください。")]
            ) from error

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """Each optional field next to its own visibility select, for the template."""
        return [
            (self[f], self[VISIBILITY_PREFIX + f]) for f in OPTIONAL_PROFILE_FIELDS if f != "photo"
        ]

    @property
    def photo_visibility(self) -> forms.BoundField:
        return self[VISIBILITY_PREFIX + "photo"]

    def profile_data(self) -> dict[str, Any]:
        """What do_update_profile needs, besides the photo."""
        data = {
            key: self.cleaned_data[key]
            for key in (
                "family_name",
                "given_name",
                "family_name_kana",
                "given_name_kana",
                "organization",
                "department",
                "title",
                "duties",
                "interests",
                "bio",
            )
        }
        data["visibility"] = {
            f: self.cleaned_data[VISIBILITY_PREFIX + f] for f in OPTIONAL_PROFILE_FIELDS
        }
        return data

    def photo_change(self) -> Any:
        """A new clean photo, False to remove the current one, or None to keep it."""
        if self.cleaned_data.get("photo"):
            return self.cleaned_data["photo"]
        if self.cleaned_data.get("remove_photo"):
            return False
        return None
