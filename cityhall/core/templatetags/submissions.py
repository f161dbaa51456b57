import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cityhall.core.submissions import FIELD

register = template.Library()


@register.simple_tag
def submission_key(key: object = None) -> SafeString:
    """The hidden one-time key of a form written out by hand (a reply box under each comment):
    `key` when the page is shown again after a refusal, a fresh one otherwise."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key or uuid.uuid4())
