"""The request type of signed-in pages."""

from django.http import HttpRequest

from cityhall.accounts.models import User


class SignedInRequest(HttpRequest):
    """The request of any page that is not @public: the gate (core.gate) made sure `user` is
    an account."""

    user: User
