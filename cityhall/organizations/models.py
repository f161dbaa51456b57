from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.lib.text import normalize


def check_digit(first_five: str) -> int:
    """Check digit of a 全国地方公共団体コード (JIS X 0402): weights 6..2, modulus 11."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_lg_code(code: str) -> None:
    if len(code) != 6 or not code.isdigit():
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
        _("団体コード"), max_length=6, unique=True, null=True, blank=True,
        validators=[validate_lg_code],
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    kana = models.CharField(_("よみ（カナ）"), max_length=200)
    prefecture = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="municipalities",
        limit_choices_to={"kind": "prefecture"},
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="agencies",
        help_text=_("外局の場合の府省"),
    )
    slug = models.SlugField(max_length=60, unique=True, null=True, blank=True,
                            help_text=_("国の機関の識別子"))
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
        if self.prefecture_id and self.kind != self.Kind.PREFECTURE:
            return f"{self.prefecture.name} {self.name}"
        return self.name

    def build_search_text(self) -> str:
        parts = [self.name, self.kana, self.code or ""]
        if self.prefecture_id:
            parts += [self.prefecture.name, self.prefecture.kana]
        return normalize(" ".join(parts))
