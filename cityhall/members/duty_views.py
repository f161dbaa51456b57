"""Staff pages for the curated list of duties (担当業務): list, add, edit, hide and show."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import SignedInRequest
from cityhall.core.gate import staff_only
from cityhall.core.text import compact, is_kana
from cityhall.members.duties import do_create_duty, do_set_duty_active, do_update_duty
from cityhall.members.models import Duty


class DutyForm(forms.Form):
    name = forms.CharField(
        label=_("担当業務"), max_length=60, help_text=_("例：児童手当、防災、情報システム・DX")
    )
    kana = forms.CharField(
        label=_("よみ"),
        max_length=120,
        required=False,
        help_text=_("カタカナまたはひらがな。並び順と検索に使います。"),
    )
    category = forms.CharField(
        label=_("分野"),
        max_length=40,
        required=False,
        help_text=_("例：子ども・子育て、福祉、行政経営"),
    )
    sort_order = forms.IntegerField(
        label=_("表示順"),
        min_value=0,
        required=False,
        help_text=_("小さい数ほど先に表示します。空欄なら最後に追加します。"),
    )

    def __init__(self, *args: Any, duty: Duty | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duty = duty
        self.fields["category"].widget.attrs["list"] = "duty-categories"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        # Compared as normalised text, so "ＤＸ" and "DX", or a stray space, count as the same.
        others = Duty.objects.all()
        if self.duty is not None:
            others = others.exclude(pk=self.duty.pk)
        for other in others.only("name", "is_active"):
            if compact(other.name) == compact(name):
                if other.is_active:
                    message = gettext("「%(name)s」はすでに登録されています。")
                else:
                    message = gettext(
                        "「%(name)s」はすでに登録されています（非表示中）。"
                        "一覧から再表示してください。"
                    )
                raise forms.ValidationError(message % {"name": other.name}, code="duplicate")
        return name

    def clean_kana(self) -> str:
        kana = self.cleaned_data["kana"].strip()
        if kana and not is_kana(kana):
            raise forms.ValidationError(gettext("よみはカタカナまたはひらがなで入力してください。"))
        return kana


def _duty(duty_id: int) -> Duty:
    # Staff only (the gate), so any duty may be fetched.
    return get_object_or_404(Duty, pk=duty_id)


def _categories() -> list[str]:
    return list(
        Duty.objects.exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


@staff_only
def duty_list(request: SignedInRequest) -> HttpResponse:
    duties = Duty.objects.annotate(profile_count=Count("profiles")).order_by(
        "sort_order", "kana", "name"
    )
    return render(request, "members/duties/list.html", {"duties": duties})


@staff_only
def duty_create(request: SignedInRequest) -> HttpResponse:
    form = DutyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duty = do_create_duty(**form.cleaned_data, actor=request.user)
        messages.success(request, gettext("「%(name)s」を追加しました。") % {"name": duty.name})
        return redirect("staff_duties:list")
    return render(
        request,
        "members/duties/form.html",
        {"form": form, "duty": None, "categories": _categories()},
    )


@staff_only
def duty_edit(request: SignedInRequest, duty_id: int) -> HttpResponse:
    duty = _duty(duty_id)
    initial = {
        "name": duty.name,
        "kana": duty.kana,
        "category": duty.category,
        "sort_order": duty.sort_order,
    }
    form = DutyForm(request.POST or None, initial=initial, duty=duty)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["sort_order"] is None:
            data["sort_order"] = duty.sort_order
        do_update_duty(duty, **data, actor=request.user)
        messages.success(request, gettext("「%(name)s」を更新しました。") % {"name": duty.name})
        return redirect("staff_duties:list")
    return render(
        request,
        "members/duties/form.html",
        {
            "form": form,
            "duty": duty,
            "categories": _categories(),
            "in_use": duty.profiles.exists(),
        },
    )


@staff_only
@require_POST
def duty_set_active(request: SignedInRequest, duty_id: int) -> HttpResponse:
    duty = _duty(duty_id)
    active = request.POST.get("active") == "1"
    do_set_duty_active(duty, active, actor=request.user)
    if active:
        text = gettext("「%(name)s」を選択肢に表示しました。")
    else:
        text = gettext(
            "「%(name)s」を選択肢から隠しました。選んでいる会員のプロフィールには残ります。"
        )
    messages.success(request, text % {"name": duty.name})
    return redirect("staff_duties:list")
