"""The joining path as the applicant sees it: apply, confirm the address, follow the review,
set a password, and the first steps as a member. Plus the rules and the privacy policy."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.client import client_ip
from cityhall.core.errors import retry_when, too_many_requests
from cityhall.core.gate import public, signed_in
from cityhall.core.throttle import RequestLimit
from cityhall.members import onboarding, queue, tokens
from cityhall.members.access import (
    access_application,
    access_application_for_link,
    access_own_applications,
    access_user_for_link,
)
from cityhall.members.actions import (
    OPEN_STATUSES,
    ActionRefused,
    check_correct_application,
    do_activate_account,
    do_correct_application,
    do_resend_verification,
    do_resubmit_application,
    do_submit_application,
    do_verify_email,
    do_withdraw_application,
)
from cityhall.members.forms import ActivationForm, ApplicationForm, CorrectionForm, ReplyForm
from cityhall.members.models import MembershipApplication

Status = MembershipApplication.Status
# Applications from one client (several colleagues may apply from one office network) and for
# one address from one client; each sends mail, so a flood is stopped with a 429.
APPLICATION_LIMIT = RequestLimit("application", per_address=3, per_client=20, window=60 * 60)
BACKEND = "cityhall.accounts.backends.EmailBackend"
LinkState = tokens.LinkState


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "members/link_invalid.html", status=400)


@public
def apply(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and user.status != User.Status.REJECTED:
        return redirect("home" if user.is_member else "members:status")
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid():
            until = APPLICATION_LIMIT.take(form.cleaned_data["email"], client_ip(request))
            if until is not None:
                throttled = _(
                    "短い間に申請が続いたため、少しお待ちいただいています。入力した内容は残っています。"
                    "%(when)sにもう一度「申請する」を押してください。"
                ) % {"when": retry_when(until)}
                context = {"form": form, "throttled": throttled}
                return too_many_requests(request, "members/apply.html", context, until)
            do_submit_application(form.cleaned_data)
            return redirect("members:sent")
    else:
        initial = {"email": user.email} if user.is_authenticated else {}
        form = ApplicationForm(initial=initial)
    return render(request, "members/apply.html", {"form": form})


@public
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "members/sent.html")


def _application_for_verification(token: str) -> tuple[LinkState, MembershipApplication | None]:
    state, application_id, fingerprint = tokens.read_verification_token(token)
    if state is LinkState.INVALID:
        return state, None
    try:
        application = access_application_for_link(application_id)
    except Http404:
        return LinkState.INVALID, None
    if not tokens.verification_is_for(application, fingerprint):
        return LinkState.INVALID, None
    return state, application


def _expired_verification(request: HttpRequest, token: str) -> HttpResponse:
    return render(
        request,
        "members/verify_expired.html",
        {"token": token, "hours": settings.EMAIL_VERIFICATION_MAX_AGE // 3600},
    )


@public
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail gateways that open links to scan them must not
    use up the link or sign themselves in."""
    state, application = _application_for_verification(token)
    if application is None:
        return _invalid_link(request)
    if application.status != Status.UNVERIFIED:
        return render(request, "members/verify_already.html")
    if state is LinkState.EXPIRED:
        return _expired_verification(request, token)
    if request.method != "POST":
        return render(request, "members/verify_confirm.html", {"application": application})
    if not do_verify_email(application):
        return render(request, "members/verify_already.html")
    login(request, application.user, backend=BACKEND)
    messages.success(request, _("メールアドレスを確認しました。運営事務局が申請を確認します。"))
    return redirect("members:status")


@public
@require_POST
def resend_verification(request: HttpRequest, token: str) -> HttpResponse:
    _state, application = _application_for_verification(token)
    if application is None:
        return _invalid_link(request)
    if application.status != Status.UNVERIFIED:
        return render(request, "members/verify_already.html")
    if do_resend_verification(application):
        messages.success(request, _("確認用のリンクをもう一度お送りしました。"))
        return redirect("members:sent")
    messages.warning(
        request,
        _(
            "少し前にリンクをお送りしています。届かない場合は、数分おいてからもう一度お試しください。"
        ),
    )
    return _expired_verification(request, token)


def _status_page(request: SignedInRequest, reply_form: ReplyForm | None = None) -> HttpResponse:
    applications = access_own_applications(request.user)
    current = applications[0] if applications else None
    if reply_form is None and current is not None and current.status == Status.NEEDS_INFO:
        reply_form = ReplyForm.for_application(current)
    return render(
        request,
        "members/status.html",
        {
            "current": current,
            "earlier": applications[1:],
            "reply_form": reply_form,
            "typical_days": queue.typical_decision_days()
            if current is not None and current.status in (Status.PENDING, Status.NEEDS_INFO)
            else None,
            "withdrawable": current is not None
            and current.status in (Status.UNVERIFIED, Status.PENDING, Status.NEEDS_INFO),
            "correctable": current is not None and current.status in OPEN_STATUSES,
        },
    )


@signed_in
def status(request: SignedInRequest) -> HttpResponse:
    if request.user.is_member:
        return redirect("home")
    return _status_page(request)


@signed_in
@require_POST
def reply(request: SignedInRequest, application_id: int) -> HttpResponse:
    if request.user.is_member:
        return redirect("home")
    application = access_application(request.user, application_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _status_page(request, reply_form=form)
    try:
        do_resubmit_application(application, form.cleaned_data, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("members:status")
    messages.success(request, _("回答を送信しました。運営事務局があらためて確認します。"))
    return redirect("members:status")


def _correction_page(
    request: SignedInRequest,
    application: MembershipApplication,
    form: CorrectionForm | None = None,
    refused: str = "",
) -> HttpResponse:
    """The form, or (once the application is decided) why it can no longer be corrected."""
    return render(
        request,
        "members/correct.html",
        {"application": application, "form": None if refused else form, "refused": refused},
    )


@signed_in
def correct(request: SignedInRequest, application_id: int) -> HttpResponse:
    """The applicant corrects their answers while staff have not decided yet."""
    if request.user.is_member:
        return redirect("home")
    application = access_application(request.user, application_id)
    try:
        check_correct_application(application, actor=request.user)
    except ActionRefused as refused:
        return _correction_page(request, application, refused=refused.message)
    if request.method != "POST":
        return _correction_page(request, application, CorrectionForm.for_application(application))
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _correction_page(request, application, form)
    was_asked = application.status == Status.NEEDS_INFO
    try:
        changed = do_correct_application(application, form.cleaned_data, actor=request.user)
    except ActionRefused as refused:
        return _correction_page(request, application, refused=refused.message)
    if not changed:
        messages.info(request, _("変更された項目はありませんでした。"))
    elif was_asked:
        messages.success(request, _("申請内容を修正しました。運営事務局があらためて確認します。"))
    else:
        messages.success(request, _("申請内容を修正しました。"))
    return redirect("members:status")


@signed_in
@require_POST
def withdraw(request: SignedInRequest, application_id: int) -> HttpResponse:
    if request.user.is_member:
        return redirect("home")
    application = access_application(request.user, application_id)
    try:
        do_withdraw_application(application, actor=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
        return redirect("members:status")
    messages.success(
        request,
        _("申請を取り下げました。あらためて参加したくなったときは、もう一度申請できます。"),
    )
    return redirect("members:status")


@public
def activate(request: HttpRequest, token: str) -> HttpResponse:
    state, user_id, fingerprint = tokens.read_activation_token(token)
    if state is LinkState.INVALID:
        return _invalid_link(request)
    try:
        user = access_user_for_link(user_id)
    except Http404:
        return _invalid_link(request)
    if user.status != User.Status.MEMBER:  # suspended since, or never approved
        return _invalid_link(request)
    if not tokens.activation_still_unused(user, fingerprint):
        return render(request, "members/activate_used.html")
    if state is LinkState.EXPIRED:
        return render(request, "members/activate_expired.html")
    form = ActivationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = do_activate_account(user, form.cleaned_data["new_password1"])
        except ActionRefused:
            return render(request, "members/activate_used.html")
        login(request, user, backend=BACKEND)
        messages.success(request, _("パスワードを設定しました。参加の手続きはこれで完了です。"))
        return redirect("members:welcome")
    return render(request, "members/activate.html", {"form": form, "account": user})


def welcome(request: SignedInRequest) -> HttpResponse:
    start, end = onboarding.next_briefing_time() or (None, None)
    return render(
        request,
        "members/welcome.html",
        {
            "checklist": onboarding.checklist_for(request.user),
            "orientation_start": start,
            "orientation_end": end,
        },
    )


@public
def rules(request: HttpRequest) -> HttpResponse:
    return render(request, "members/rules.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    # CONTACT_EMAIL is optional: without it the policy names the staff office only.
    return render(request, "members/privacy.html", {"contact_email": settings.CONTACT_EMAIL})
