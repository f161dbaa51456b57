"""The accounts' limits on forms that send mail, counted by core.throttle."""

from cityhall.core.throttle import RequestLimit

# Mail cannot be stopped once sent, so the forms that send it are limited per client; the
# actions also cap the mails one account receives (accounts.actions.MAIL_LIMIT).
SIGN_IN_LINK_LIMIT = RequestLimit("sign-in-link", per_address=3, per_client=20, window=15 * 60)
PASSWORD_RESET_LIMIT = RequestLimit("password-reset", per_address=3, per_client=20, window=15 * 60)
