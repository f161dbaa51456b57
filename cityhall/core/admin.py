"""Outgoing mail and notifications, for looking.

The outbox is the delivery record, and some of its mail holds a link that acts for its
recipient (a password reset, a sign-in link): whoever reads it could become that person. So
only admins see the outbox, with every secret masked; staff do not see it at all (the staff
dashboard counts mail that failed). Nobody adds, edits or deletes a row: a changed address
would send someone's link to another.
"""

from django.contrib import admin
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cityhall.core.admin_policy import AdminsOnlyAdmin
from cityhall.core.masking import mask_secrets
from cityhall.core.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(AdminsOnlyAdmin):
    list_display = (
        "created_at",
        "to",
        "masked_subject",
        "carries_secret",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "carries_secret")
    # Not the subject or body: a search is an oracle that would spell a link out letter by letter.
    search_fields = ("to",)
    fields = (
        "to",
        "masked_subject",
        "masked_body",
        "carries_secret",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
        "claimed_until",
        "masked_last_error",
    )
    readonly_fields = fields

    @admin.display(description=_("件名"))
    def masked_subject(self, mail: OutboundEmail) -> str:
        return mask_secrets(mail.subject, strict=mail.carries_secret)

    @admin.display(description=_("本文"))
    def masked_body(self, mail: OutboundEmail) -> SafeString:
        return linebreaksbr(mask_secrets(mail.body, strict=mail.carries_secret))

    @admin.display(description=_("エラー"))
    def masked_last_error(self, mail: OutboundEmail) -> str:
        return mask_secrets(mail.last_error, strict=mail.carries_secret)
