import re

from django.conf import settings


def link_in(message) -> str:
    """The path of the first link to this site in a mail."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S+)", message.body)
    assert match, message.body
    return match.group(1)
