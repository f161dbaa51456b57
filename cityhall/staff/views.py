from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cityhall.accounts.gate import public, staff_only


@public
def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors see what the community is; members their start page."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/landing.html")
    if not user.is_member:
        return redirect("members:status")
    return render(request, "home/member_home.html")


@staff_only
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/dashboard.html")
