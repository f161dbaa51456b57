from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from cityhall.core.text import compact, normalize, to_katakana


def check_digit(first_five: str) -> int:
    """Check digit of a 全国地方公共団体コード (JIS X 0402): weights 6..2, modulus 11."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_lg_code(code: str) -> None:
    # isascii(): str.isdigit() also accepts full-width and other Unicode digits.
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        raise ValidationError(_("団体コードは6桁の数字です。"), code="format")
    if check_digit(code[:5]) != int(code[5]):
        raise ValidationError(_("団体コードの検査数字が正しくありません。"), code="check_digit")


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def active(self) -> "OrganizationQuerySet":
        return self.filter(is_active=True)

    def local_governments(self) -> "OrganizationQuerySet":
        return self.exclude(kind=Organization.Kind.NATIONAL)

    def matching(self, query: str) -> "OrganizationQuerySet":
        """Type-ahead: every space-separated term must appear in name, kana, code or prefecture."""
        qs = self
        for term in normalize(query).split():
            qs = qs.filter(search_text__contains=term)
        return qs

    def search(self, query: str) -> "OrganizationQuerySet":
        """matching(), best first: an exact code or name, then names or readings starting with
        what was typed, then any word (e.g. the prefecture) starting with it, then the rest;
        code order within each.
        """
        terms = normalize(query).split()
        if not terms:
            return self.none()

        joined = "".join(terms)
        exact = reduce(
            or_,
            [Q(search_text__startswith=f"{t} ") for t in terms],
            Q(code=joined) | Q(search_text__endswith=f" {joined}", prefecture__isnull=False),
        )
        starts = reduce(
            or_, [Q(search_text__startswith=t) | Q(kana__startswith=to_katakana(t)) for t in terms]
        )
        word = reduce(or_, [Q(search_text__contains=f" {t}") for t in terms])
        rank = Case(
            When(exact, then=Value(0)),
            When(starts, then=Value(1)),
            When(word, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return self.matching(query).annotate(rank=rank).order_by("rank", "sort_key")

    def named(self, text: str) -> "OrganizationQuerySet":
        """Those whose name, or prefecture and name ("北海道 猿払村"), is exactly the text."""
        key = compact(text)
        if not key:
            return self.none()
        return self.filter(
            Q(search_text=key)
            | Q(search_text__startswith=f"{key} ")
            | Q(search_text__endswith=f" {key}", prefecture__isnull=False)
        )


class Organization(models.Model):
    """A local government (with its 6-digit code) or a national ministry or agency."""

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("都道府県")
        CITY = "city", _("市")
        TOWN = "town", _("町")
        VILLAGE = "village", _("村")
        SPECIAL_WARD = "special_ward", _("特別区")
        NATIONAL = "national", _("国の機関")

    code = models.CharField(
        _("団体コード"),
        max_length=6,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_lg_code],
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    kana = models.CharField(_("よみ（カナ）"), max_length=200)
    prefecture = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
        limit_choices_to={"kind": "prefecture"},
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("外局の場合の府省"),
    )
    slug = models.SlugField(
        max_length=60, unique=True, null=True, blank=True, help_text=_("国の機関の識別子")
    )
    sort_key = models.CharField(max_length=20, db_index=True)
    is_active = models.BooleanField(default=True)
    search_text = models.TextField(editable=False, default="")

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="national") | models.Q(code__isnull=False),
                name="organizations_local_government_has_code",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Municipalities carry their prefecture (there are several 府中市 and 伊達市)."""
        prefecture = self.prefecture if self.prefecture_id else None
        if prefecture is not None and self.kind != self.Kind.PREFECTURE:
            return f"{prefecture.name} {self.name}"
        return self.name

    def build_search_text(self) -> str:
        prefecture = self.prefecture if self.prefecture_id else None
        return search_text(
            self.name,
            self.kana,
            self.code or "",
            prefecture.name if prefecture else "",
            prefecture.kana if prefecture else "",
        )


def search_text(
    name: str, kana: str, code: str, prefecture_name: str = "", prefecture_kana: str = ""
) -> str:
    """What type-ahead matches against: name, kana (as hiragana), code and prefecture.

    The name comes first, so "starts with the name" is a prefix test; the prefecture and name
    are also joined so that "北海道猿払村" typed without a space still matches. A plain function
    because the data migration builds rows through the historical model, which has no methods.
    """
    parts = [name, kana, code, prefecture_name, prefecture_kana]
    if prefecture_name:
        parts.append(prefecture_name + name)
    return normalize(" ".join(part for part in parts if part))
