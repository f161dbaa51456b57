from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

# The default name has an English translation; a name the deployer chose is shown as set.
gettext_noop("オンライン市役所")


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": gettext(settings.SITE_NAME), "POLICY_VERSION": settings.POLICY_VERSION}
