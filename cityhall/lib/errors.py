from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page left open too long (or from elsewhere): say so plainly."""
    return render(request, "403_csrf.html", status=403)
