"""Study sessions for members: the list, an event, a series, registering, calendars."""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import SignedInRequest
from cityhall.core.gate import public
from cityhall.core.markdown import render_markdown
from cityhall.events import access, attendance, briefing, faq, figures, ics
from cityhall.events.actions import (
    check_registration_open,
    do_cancel_registration,
    do_regenerate_calendar_feed,
    do_register,
    do_revoke_calendar_feed,
    questions_for,
    waitlist_number,
)
from cityhall.events.forms import RegistrationForm
from cityhall.events.holidays import holiday_name
from cityhall.events.models import CalendarFeed, Event, EventHost, Registration
from cityhall.sections.models import Section

PER_PAGE = 20
FEED_PAST_DAYS = 90


def hosts_of(event: Event) -> list[EventHost]:
    where = Q(event=event)
    if event.series_id:
        where |= Q(series_id=event.series_id)
    hosts = EventHost.objects.filter(where).select_related("user__profile__organization")
    unique = {h.user_id: h for h in hosts.order_by("created_at", "id")}
    return list(unique.values())


def event_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    past = request.GET.get("when") == "past"
    events = access.visible_events(user)
    events = events.past() if past else events.upcoming()
    series = section = None
    if request.GET.get("series"):
        series = access.visible_series(user).filter(slug=request.GET["series"]).first()
        events = events.filter(series=series) if series else events.none()
    if request.GET.get("section"):
        section = Section.objects.filter(slug=request.GET["section"]).first()
        events = events.filter(section=section) if section else events.none()
    # Page the plain list, then count seats for that page only: counting registrations for
    # every past event before the LIMIT reads most of the registrations table.
    page = Paginator(events.only("pk"), PER_PAGE).get_page(request.GET.get("page"))
    ids = [e.pk for e in page.object_list]
    counted = Event.objects.filter(pk__in=ids).with_counts()
    counted = counted.select_related("series", "section").defer("description")
    by_id = {e.pk: e for e in counted}
    page.object_list = [by_id[pk] for pk in ids]
    mine = dict(
        Registration.objects.filter(user=user, event__in=[e.pk for e in page.object_list])
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("event_id", "status")
    )
    for event in page.object_list:
        event.my_status = mine.get(event.pk, "")  # type: ignore[attr-defined]
        event.holiday = holiday_name(event.starts_at)  # type: ignore[attr-defined]
    query = {k: v for k, v in request.GET.items() if k in {"when", "series", "section"} and v}
    return render(
        request,
        "events/list.html",
        {
            "page_obj": page,
            "past": past,
            "series": series,
            "section": section,
            "query_string": urlencode(query),
            "upcoming_query": urlencode({k: v for k, v in query.items() if k != "when"}),
            "all_series": access.visible_series(user).active().order_by("title"),
            "can_create": access.can_create(user),
        },
    )


def _detail_context(request: SignedInRequest, event: Event, form: Any = None) -> dict[str, Any]:
    user = request.user
    registration = access.registration_of(user, event)
    active = registration if registration is not None and registration.is_active else None
    now = timezone.now()
    try:
        check_registration_open(event, now)
        closed_reason = ""
    except ValidationError as error:
        closed_reason = error.messages[0]
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    checked_in = attendance.attended(user, event)
    return {
        "event": event,
        "description_html": render_markdown(event.description),
        "hosts": hosts_of(event),
        "registration": active,
        "waitlist_number": waitlist_number(active) if active else None,
        "show_venue": access.sees_venue(user, event, registration),
        "can_manage": access.can_manage_event(user, event),
        "confirmed_count": confirmed,
        "seats_left": event.seats_left(confirmed),
        # A finished session reports who came, never seats left.
        "ended": event.has_ended(now),
        "attended_count": event.attendances.count() if event.has_ended(now) else None,
        "closed_reason": closed_reason,
        "form": form or RegistrationForm(questions=questions_for(event)),
        "holiday": holiday_name(event.starts_at),
        "can_cancel": active is not None and not event.has_started(now),
        "checked_in": checked_in,
        "check_in_open": attendance.is_check_in_open(event, now),
        "check_in_allowed": (active is not None and active.is_confirmed) or event.walk_ins,
        "agenda_count": event.agenda_items.count(),
        "agenda_open": not event.is_cancelled and not event.has_started(now),
        "faq_count": faq.count_for_event(event),
    }


def detail(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_event(request.user, event_id)
    return render(request, "events/detail.html", _detail_context(request, event))


@require_POST
def register(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_event(request.user, event_id)
    form = RegistrationForm(request.POST, questions=questions_for(event))
    if form.is_valid():
        try:
            registration = do_register(
                event,
                answers=form.answers(),
                submission_key=form.cleaned_data["submission_key"],
                actor=request.user,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("events:detail", event_id=event.pk)
        if registration.is_confirmed:
            messages.success(
                request, _("申し込みました。参加方法はこのページとメールでご案内します。")
            )
        else:
            messages.success(
                request,
                _(
                    "満席のため、キャンセル待ちに登録しました（%(n)s番目）。席が空くとメールでお知らせします。"
                )
                % {"n": waitlist_number(registration)},
            )
        return redirect("events:detail", event_id=event.pk)
    # Keep what was typed: show the page again with the bound form and its errors.
    return render(request, "events/detail.html", _detail_context(request, event, form), status=400)


@require_POST
def cancel_registration(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_event(request.user, event_id)
    registration = access.registration_of(request.user, event)
    if registration is None:
        raise Http404
    try:
        do_cancel_registration(registration, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("申し込みを取り消しました。"))
    return redirect("events:detail", event_id=event.pk)


def event_ics(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_event(request.user, event_id)
    registration = access.registration_of(request.user, event)
    body = ics.event_calendar(
        event, with_venue=access.sees_venue(request.user, event, registration)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


def series_detail(request: SignedInRequest, slug: str) -> HttpResponse:
    series = access.access_series(request.user, slug)
    sessions = Event.objects.filter(series=series).with_counts().defer("description")
    upcoming = list(sessions.upcoming()[:12])
    past = list(sessions.past()[:12])
    can_manage = access.can_manage_series(request.user, series)
    for event in upcoming:
        event.holiday = holiday_name(event.starts_at)  # type: ignore[attr-defined]
    return render(
        request,
        "events/series.html",
        {
            "series": series,
            "description_html": render_markdown(series.description),
            "upcoming": upcoming,
            "past": past,
            "past_total": sessions.past().count(),
            "can_manage": can_manage,
            "hosts": list(series.hosts.select_related("user__profile__organization")),
            "figures": figures.cached_figures_of(series),
            "faq_count": faq.count_for_series(series),
        },
    )


def briefing_next(request: SignedInRequest) -> HttpResponse:
    """The newcomer checklist's link: the next 説明会 session, or the series page."""
    event = briefing.next_briefing()
    if event is not None:
        return redirect("events:detail", event_id=event.pk)
    if briefing.briefing_series() is not None:
        return redirect("events:series", slug=briefing.BRIEFING_SLUG)
    return redirect("events:list")


def calendar_settings(request: SignedInRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("events:feed", args=[feed.token])) if feed else ""
    return render(request, "events/settings.html", {"feed": feed, "feed_url": url})


@require_POST
def feed_regenerate(request: SignedInRequest) -> HttpResponse:
    do_regenerate_calendar_feed(actor=request.user)
    messages.success(
        request, _("カレンダー配信のURLを発行しました。以前のURLは使えなくなりました。")
    )
    return redirect("events:settings")


@require_POST
def feed_revoke(request: SignedInRequest) -> HttpResponse:
    do_revoke_calendar_feed(actor=request.user)
    messages.success(request, _("カレンダー配信を停止しました。"))
    return redirect("events:settings")


@public
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Calendar apps cannot sign in: the secret token is the only key. Unknown and revoked
    tokens, and members who are no longer members, get a 404."""
    entry = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_member:
        raise Http404
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    registrations = (
        Registration.objects.filter(
            user=entry.user,
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
            event__ends_at__gte=since,
        )
        .select_related("event")
        .order_by("event__starts_at")
    )
    response = HttpResponse(
        ics.feed_calendar(registrations), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
