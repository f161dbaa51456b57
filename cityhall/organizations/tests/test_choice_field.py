import re

import pytest
from django import forms

from cityhall import testing
from cityhall.organizations.forms import OrganizationChoiceField

pytestmark = pytest.mark.django_db


class ProfileForm(forms.Form):
    organization = OrganizationChoiceField()
    department = forms.CharField()


class OptionalForm(forms.Form):
    organization = OrganizationChoiceField(required=False)


def submit(text: str = "", choice_id: object = "", **extra: str) -> ProfileForm:
    data = {"organization": str(choice_id), "organization_text": text, "department": "総務課"}
    data.update(extra)
    form = ProfileForm(data)
    form.is_valid()
    return form


def test_it_takes_the_id_chosen_from_the_list():
    sarufutsu = testing.organization("015113")
    form = submit("北海道 猿払村", sarufutsu.pk)
    assert form.is_valid()
    assert form.cleaned_data["organization"] == sarufutsu


@pytest.mark.parametrize("text", ["015113", "０１５１１３", " 015113 ", "01511"])
def test_it_resolves_a_typed_code_without_javascript(text):
    form = submit(text)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organization"].name == "猿払村"


@pytest.mark.parametrize("text", ["猿払村", "北海道 猿払村", "北海道猿払村", "国税庁"])
def test_it_resolves_an_unambiguous_exact_name_without_javascript(text):
    form = submit(text)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organization"].name in ("猿払村", "国税庁")


def test_it_refuses_an_ambiguous_name_and_keeps_what_was_typed():
    form = submit("府中市")
    assert not form.is_valid()
    [error] = form.errors["organization"]
    assert "「府中市」という名前の団体が複数あります" in error
    assert "東京都 府中市" in error and "広島県 府中市" in error
    html = str(form["organization"])
    assert 'value="府中市"' in html


def test_it_accepts_the_ambiguous_name_with_its_prefecture():
    form = submit("広島県 府中市")
    assert form.is_valid()
    assert form.cleaned_data["organization"].code == "342084"


def test_it_refuses_an_unknown_name_asking_to_choose_from_the_list():
    form = submit("架空市")
    [error] = form.errors["organization"]
    assert isinstance(error, str)
    assert error.startswith("「架空市」に当てはまる団体が見つかりません。")
    assert "候補から選んでください" in error
    assert 'value="架空市"' in str(form["organization"])


def test_it_refuses_a_partial_name_without_a_choice():
    assert "organization" in submit("猿払").errors


def test_it_refuses_an_unknown_code():
    assert "見つかりません" in submit("999999").errors["organization"][0]


def test_it_requires_an_organization_in_japanese():
    assert submit("").errors["organization"] == ["所属団体を入力し、候補から選んでください。"]


def test_it_may_be_optional():
    form = OptionalForm({"organization": "", "organization_text": ""})
    assert form.is_valid()
    assert form.cleaned_data["organization"] is None


def test_it_discards_a_stale_choice_when_the_text_was_changed():
    sarufutsu = testing.organization("015113")
    form = submit("神奈川県 横浜市", sarufutsu.pk)
    assert form.cleaned_data["organization"].code == "141003"


def test_it_shows_the_display_name_when_re_rendered_with_a_choice():
    sarufutsu = testing.organization("015113")
    form = submit("015113", department="")  # another field fails, the organisation was found
    assert not form.is_valid()
    html = str(form["organization"])
    assert 'value="北海道 猿払村"' in html
    assert f'name="organization" value="{sarufutsu.pk}"' in html


def test_it_shows_the_initial_organization_by_its_display_name():
    sarufutsu = testing.organization("015113")
    for initial in (sarufutsu, sarufutsu.pk):
        html = str(ProfileForm(initial={"organization": initial})["organization"])
        assert 'value="北海道 猿払村"' in html
        assert f'value="{sarufutsu.pk}"' in html


def test_it_renders_an_accessible_combobox():
    html = str(ProfileForm()["organization"])
    assert 'role="combobox"' in html
    assert 'aria-expanded="false"' in html
    assert 'aria-autocomplete="list"' in html
    assert 'aria-controls="id_organization_listbox"' in html
    assert 'id="id_organization_listbox" role="listbox"' in html
    assert 'aria-live="polite"' in html
    assert 'name="organization_text"' in html and 'type="hidden" name="organization"' in html
    assert re.search(r'<input type="text"[^>]* id="id_organization"', html)
    assert 'data-url="/organizations/search/"' in html
    assert "js/combobox.js" in html


def test_it_reports_a_change_only_when_another_organization_is_chosen():
    sarufutsu = testing.organization("015113")
    field = ProfileForm().fields["organization"]
    same = {"id": str(sarufutsu.pk), "text": "北海道 猿払村"}
    assert not field.has_changed(sarufutsu.pk, same)
    assert field.has_changed(sarufutsu.pk, {"id": "", "text": "横浜市"})


def test_it_replaces_the_foreign_key_select_in_a_model_form(member):
    from cityhall.members.models import Profile

    class OrganizationForm(forms.ModelForm):
        organization = OrganizationChoiceField()

        class Meta:
            model = Profile
            fields = ["organization"]

    profile = member.profile
    assert 'value="北海道 猿払村"' in str(OrganizationForm(instance=profile)["organization"])
    form = OrganizationForm(
        {"organization": str(profile.organization_id), "organization_text": "北海道 猿払村"},
        instance=profile,
    )
    assert form.is_valid() and not form.has_changed()
    form = OrganizationForm({"organization": "", "organization_text": "141003"}, instance=profile)
    assert form.is_valid() and form.has_changed()
    form.save()
    profile.refresh_from_db()
    assert profile.organization.name == "横浜市"
