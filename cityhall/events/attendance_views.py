"""Attendance pages: a member's check-in, hosts' marks, the participants report import, and
the staff's figures for every series."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.gate import staff_only
from cityhall.core.limits import MB, body_limit
from cityhall.events import access, figures
from cityhall.events.attendance import do_check_in, do_import_attendance, do_mark_attendance
from cityhall.events.forms import ReportUploadForm
from cityhall.events.models import Event, Registration
from cityhall.events.zoom_report import Participant, ReportError, match, parse


@require_POST
def check_in(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_event(request.user, event_id)
    try:
        do_check_in(event, actor=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("出席を登録しました。ご参加ありがとうございます。"))
    return redirect("events:detail", event_id=event.pk)


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@require_POST
def attendance_mark(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_managed_event(request.user, event_id)
    try:
        added, removed = do_mark_attendance(
            event, listed=_ids(request.POST.getlist("listed")),
            present=_ids(request.POST.getlist("present")), actor=request.user,
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("出席を記録しました（追加 %(added)s 名、取り消し %(removed)s 名）。")
            % {"added": added, "removed": removed},
        )
    return redirect("events:manage", event_id=event.pk)


def _session_key(event: Event) -> str:
    return f"events.attendance_import.{event.pk}"


def _registrants(event: Event) -> list[Any]:
    return list(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user__profile__organization")
        .order_by("user__family_name_kana", "user__given_name_kana", "pk")
    )


def _preview(
    request: SignedInRequest, event: Event, people: list[Participant], status: int = 200
) -> HttpResponse:
    matched = [p for p in people if p.user_id]
    names = {
        pk: f"{family} {given}"
        for pk, family, given in User.objects.filter(
            pk__in=[p.user_id for p in matched]
        ).values_list("pk", "family_name", "given_name")
    }
    return render(
        request,
        "events/attendance_preview.html",
        {
            "event": event,
            "matched": [(p, names.get(p.user_id or 0, "")) for p in matched],
            "unmatched": [(i, p) for i, p in enumerate(people) if not p.user_id],
            "registrants": _registrants(event),
            "values": request.POST if request.POST.get("confirm") else {},
        },
        status=status,
    )


@body_limit(5 * MB)
def attendance_import(request: SignedInRequest, event_id: int) -> HttpResponse:
    """Upload: the file is read and matched, nothing is saved; the result waits in the session
    for the host to resolve the unmatched rows and confirm."""
    event = access.access_managed_event(request.user, event_id)
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["report"]
        try:
            if upload.size > 2 * 1024 * 1024:
                raise ReportError(_("ファイルが大きすぎます（2MBまで）。"))
            people = parse(upload.read())
        except ReportError as error:
            form.add_error("report", str(error))
        else:
            match(event, people)
            request.session[_session_key(event)] = [p.as_dict() for p in people]
            return _preview(request, event, people)
    status = 400 if form.errors else 200
    return render(
        request, "events/attendance_import.html", {"event": event, "form": form}, status=status
    )


def _resolve(
    request: SignedInRequest, people: list[Participant]
) -> tuple[dict[int, tuple[datetime, int]], list[str]]:
    """The host's choices for unmatched rows: a registrant, a member's email, or ignore."""
    errors: list[str] = []
    wanted: dict[int, str] = {}
    for i, person in enumerate(people):
        if person.user_id:
            continue
        picked = request.POST.get(f"pick_{i}", "")
        email = request.POST.get(f"email_{i}", "").strip().lower()
        if picked.isdigit():
            person.user_id = int(picked)
        elif email:
            wanted[i] = email
    found = dict(
        User.objects.filter(email__in=wanted.values(), status=User.Status.MEMBER).values_list(
            "email", "pk"
        )
    )
    for i, email in wanted.items():
        if email in found:
            people[i].user_id = found[email]
        else:
            errors.append(
                _("%(name)s: %(email)s の会員が見つかりません。")
                % {"name": people[i].name, "email": email}
            )
    entries: dict[int, tuple[datetime, int]] = {}
    for person in people:
        if person.user_id:
            joined, minutes = entries.get(person.user_id, (person.joined_at, 0))
            entries[person.user_id] = (min(joined, person.joined_at), minutes + person.minutes)
    return entries, errors


@require_POST
def attendance_import_confirm(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_managed_event(request.user, event_id)
    stored = request.session.get(_session_key(event))
    if not stored:
        messages.error(
            request, _("読み込んだ内容が見つかりません。もう一度ファイルを選んでください。")
        )
        return redirect("events:attendance_import", event_id=event.pk)
    people = [Participant.from_dict(row) for row in stored]
    entries, errors = _resolve(request, people)
    if errors:
        for error in errors:
            messages.error(request, error)
        return _preview(request, event, [Participant.from_dict(row) for row in stored], 400)
    try:
        added = do_import_attendance(event, entries=entries, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _preview(request, event, [Participant.from_dict(row) for row in stored], 400)
    del request.session[_session_key(event)]
    messages.success(
        request,
        _("参加者レポートから出席を記録しました（新たに %(added)s 名、合計 %(total)s 名）。")
        % {"added": added, "total": len(entries)},
    )
    return redirect("events:manage", event_id=event.pk)


@staff_only
@require_safe
def staff_figures(request: SignedInRequest) -> HttpResponse:
    rows = figures.cached_series_figures()
    return render(
        request,
        "events/figures.html",
        {
            "table": figures.event_series_table(rows),
            "charts": figures.attendance_charts(rows),
        },
    )
