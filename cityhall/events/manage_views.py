"""Pages for those who run study sessions: create and edit series and events, registration
questions, the registrations of a session, moving and cancelling."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.jst import to_jst
from cityhall.events import access
from cityhall.events.actions import questions_for
from cityhall.events.attendance import check_in_opens
from cityhall.events.forms import (
    CancelForm,
    EventForm,
    MoveForm,
    QuestionForm,
    SeriesForm,
    WhenFields,
)
from cityhall.events.holidays import holiday_name
from cityhall.events.hosting import (
    do_add_question,
    do_cancel_event,
    do_create_event,
    do_create_series,
    do_delete_question,
    do_move_event,
    do_update_event,
    do_update_series,
)
from cityhall.events.models import Event, EventSeries, Registration, RegistrationQuestion


def _require_creator(user: User) -> None:
    if not access.can_create(user):
        raise Http404


def series_new(request: SignedInRequest) -> HttpResponse:
    _require_creator(request.user)
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            series = do_create_series(
                data=form.series_data(), hosts=form.cleaned_data["hosts"], actor=request.user
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("シリーズを作成しました。開催回は自動で作られます。"))
            return redirect("events:series", slug=series.slug)
    return render(request, "events/series_form.html", {"form": form, "series": None})


def series_edit(request: SignedInRequest, slug: str) -> HttpResponse:
    series = access.access_managed_series(request.user, slug)
    form = SeriesForm(request.POST or None, instance=series, user=request.user)
    # The ModelForm's validation writes the new values onto the instance: hand the action a
    # fresh copy so it can tell what changed.
    if request.method == "POST" and form.is_valid():
        original = EventSeries.objects.get(pk=series.pk)
        try:
            do_update_series(
                original, data=form.series_data(), hosts=form.cleaned_data["hosts"],
                actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("シリーズを更新しました。"))
            return redirect("events:series", slug=original.slug)
    return render(request, "events/series_form.html", {"form": form, "series": series})


def event_new(request: SignedInRequest) -> HttpResponse:
    slug = request.GET.get("series") or request.POST.get("series") or ""
    series = access.access_managed_series(request.user, slug) if slug else None
    if series is None:
        _require_creator(request.user)
    data = request.POST or None
    form = EventForm(data, user=request.user, fixed_organizer=series is not None)
    when = WhenFields(data)
    if series is not None and data is None:
        form.initial.update(
            title=series.title, capacity=series.capacity, venue_url=series.venue_url
        )
        when.initial.update(start_time=series.start_time, duration_minutes=series.duration_minutes)
    if request.method == "POST" and form.is_valid() and when.is_valid():
        starts_at, ends_at = when.times()
        try:
            event = do_create_event(
                data=form.event_data(), starts_at=starts_at, ends_at=ends_at,
                hosts=form.cleaned_data["hosts"], actor=request.user, series=series,
            )  # fmt: skip
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("勉強会を作成しました。"))
            return redirect("events:manage", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "when": when, "series": series})


def event_edit(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_managed_event(request.user, event_id)
    form = EventForm(request.POST or None, instance=event, user=request.user, fixed_organizer=True)
    if request.method == "POST" and form.is_valid():
        original = Event.objects.get(pk=event.pk)
        do_update_event(
            original, data=form.event_data(), hosts=form.cleaned_data["hosts"], actor=request.user
        )
        messages.success(request, _("勉強会を更新しました。"))
        return redirect("events:manage", event_id=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


def manage(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_managed_event(request.user, event_id)
    registrations = list(
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user__profile__organization")
        .prefetch_related("answers__question")
        .order_by("status", "position")
    )
    attended = set(event.attendances.values_list("user_id", flat=True))
    registered = {r.user_id for r in registrations}
    # Walk-ins and members added from a report: listed too, so a host can take them back.
    others = list(
        event.attendances.exclude(user_id__in=registered)
        .select_related("user__profile__organization")
        .order_by("user__family_name_kana", "user__given_name_kana")
    )
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "holiday": holiday_name(event.starts_at),
            "confirmed": [r for r in registrations if r.is_confirmed],
            "waitlisted": [r for r in registrations if not r.is_confirmed],
            "questions": questions_for(event),
            "attended": attended,
            "other_attendees": others,
            "attendance_open": not event.is_cancelled and timezone.now() >= check_in_opens(event),
            "agenda_count": event.agenda_items.count(),
        },
    )


def move(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_managed_event(request.user, event_id)
    starts = to_jst(event.starts_at)
    initial = {
        "day": starts.date(),
        "start_time": starts.time(),
        "duration_minutes": event.duration_minutes,
    }
    form = MoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        try:
            do_move_event(
                event, starts_at=starts_at, ends_at=ends_at,
                reason=form.cleaned_data["reason"], actor=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("日時を変更し、申込者にお知らせしました。"))
            return redirect("events:manage", event_id=event.pk)
    return render(
        request,
        "events/move.html",
        {"event": event, "form": form, "new_holiday": _new_holiday(form)},
    )


def _new_holiday(form: MoveForm) -> str | None:
    day = form.cleaned_data.get("day") if form.is_bound and hasattr(form, "cleaned_data") else None
    return holiday_name(day) if day else None


def cancel_event(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_managed_event(request.user, event_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_cancel_event(event, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("勉強会を中止し、申込者にお知らせしました。"))
            return redirect("events:manage", event_id=event.pk)
    return render(request, "events/cancel.html", {"event": event, "form": form})


def _questions_page(
    request: SignedInRequest, *, event: Event | None, series: EventSeries | None
) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_add_question(data=form.cleaned_data, actor=request.user, event=event, series=series)
        messages.success(request, _("質問を追加しました。"))
        return redirect(request.path)
    owner: dict[str, Any] = {"series": series} if series is not None else {"event": event}
    questions = RegistrationQuestion.objects.filter(**owner).order_by("position", "id")
    return render(
        request,
        "events/questions.html",
        {"form": form, "event": event, "series": series, "questions": list(questions)},
    )


def event_questions(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_managed_event(request.user, event_id)
    return _questions_page(request, event=event, series=None)


def series_questions(request: SignedInRequest, slug: str) -> HttpResponse:
    series = access.access_managed_series(request.user, slug)
    return _questions_page(request, event=None, series=series)


@require_POST
def question_delete(request: SignedInRequest, question_id: int) -> HttpResponse:
    question = (
        RegistrationQuestion.objects.select_related("event", "series")
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise Http404
    # Fetch the owner through access: a viewer who may not manage it learns nothing.
    if question.series is not None:
        access.access_managed_series(request.user, question.series.slug)
        back = redirect("events:series_questions", slug=question.series.slug)
    else:
        access.access_managed_event(request.user, question.event_id)  # type: ignore[arg-type]
        back = redirect("events:questions", event_id=question.event_id)
    do_delete_question(question, actor=request.user)
    messages.success(request, _("質問を削除しました。"))
    return back
