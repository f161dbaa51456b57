from django import template

from cityhall.audit.labels import audit_label as label_of

register = template.Library()


@register.filter
def audit_label(code: str) -> str:
    """members.account.activated → アカウントの有効化 (unknown codes as they are)."""
    return label_of(code)
