"""The agenda page of a session: members ask and vote before it starts; hosts decide."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.requests import SignedInRequest
from cityhall.events import access
from cityhall.events.agenda import (
    access_agenda_item,
    agenda_of,
    check_agenda_open,
    do_add_agenda_item,
    do_set_agenda_status,
    do_toggle_agenda_vote,
)
from cityhall.events.forms import AgendaDecisionForm, AgendaItemForm
from cityhall.events.models import AgendaItem, Event


def _page(
    request: SignedInRequest, event: Event, form: AgendaItemForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    try:
        check_agenda_open(event, now)
        closed_reason = ""
    except ValidationError as error:
        closed_reason = error.messages[0]
    can_manage = access.can_manage_event(request.user, event)
    return render(
        request,
        "events/agenda.html",
        {
            "event": event,
            "agenda": agenda_of(event, request.user),
            "form": form,
            "closed_reason": closed_reason,
            "can_manage": can_manage,
            "statuses": AgendaItem.Status.choices,
            # After the session, hosts turn answered items into FAQ entries.
            "faq_ready": can_manage and event.has_ended(now),
            "faq_new": reverse("knowledge:new"),
        },
        status=status,
    )


def agenda(request: SignedInRequest, event_id: int) -> HttpResponse:
    event = access.access_event(request.user, event_id)
    if request.method != "POST":
        return _page(request, event, AgendaItemForm())
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            do_add_agenda_item(
                event, title=form.cleaned_data["title"], detail=form.cleaned_data["detail"],
                actor=request.user,
            )  # fmt: skip
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("希望を受け付けました。ほかの方の希望にも投票できます。"))
            return redirect("events:agenda", event_id=event.pk)
    return _page(request, event, form, status=400)


@require_POST
def agenda_vote(request: SignedInRequest, item_id: int) -> HttpResponse:
    item = access_agenda_item(request.user, item_id)
    try:
        voted = do_toggle_agenda_vote(item, actor=request.user)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("投票しました。") if voted else _("投票を取り消しました。"))
    return redirect(reverse("events:agenda", args=[item.event_id]) + f"#agenda-{item.pk}")


@require_POST
def agenda_decide(request: SignedInRequest, item_id: int) -> HttpResponse:
    item = access_agenda_item(request.user, item_id)
    if not access.can_manage_event(request.user, item.event):
        raise Http404
    form = AgendaDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("状態を選び、ひとことは500文字以内にしてください。"))
    else:
        do_set_agenda_status(
            item, status=form.cleaned_data["status"], note=form.cleaned_data["note"],
            actor=request.user,
        )  # fmt: skip
        messages.success(request, _("「%(title)s」を更新しました。") % {"title": item.title})
    return redirect(reverse("events:agenda", args=[item.event_id]) + f"#agenda-{item.pk}")
