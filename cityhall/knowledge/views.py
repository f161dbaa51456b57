"""FAQ pages for members: the list with filters, an entry, its history, writing, and the
FAQ documents (printable page, PDF, Excel)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.jst import now_jst
from cityhall.core.markdown import render_markdown
from cityhall.events.access import visible_events
from cityhall.events.agenda import faq_prefill
from cityhall.knowledge import access
from cityhall.knowledge.actions import EditConflict, do_create_faq, do_edit_faq
from cityhall.knowledge.exports import (
    DOCUMENT_LIMIT,
    FaqDocument,
    event_label,
    pdf_response,
    xlsx_document_response,
)
from cityhall.knowledge.forms import FaqFilterForm, FaqForm
from cityhall.knowledge.history import versions
from cityhall.knowledge.models import FaqEntry, Tag

PER_PAGE = 20
POPULAR_TAGS = 20


def _query_string(filters: FaqFilterForm) -> str:
    values = filters.values()
    for name in ("duty", "event"):
        if name in values:
            values[name] = values[name].pk
    if "series" in values:
        values["series"] = values["series"].slug
    if values.get("drafts"):
        values["drafts"] = "1"
    return urlencode(values)


def _popular_tags() -> list[Tag]:
    published = Q(entries__status=FaqEntry.Status.PUBLISHED)
    return list(
        Tag.objects.annotate(n=Count("entries", filter=published))
        .filter(n__gt=0)
        .order_by("-n", "name")[:POPULAR_TAGS]
    )


@require_safe
def entry_list(request: SignedInRequest) -> HttpResponse:
    writer = access.writes_any_faq(request.user)
    filters = FaqFilterForm(request.GET, user=request.user)
    entries = filters.apply(access.visible_entries(request.user, writer=writer)).for_list()
    page = Paginator(entries.defer("answer", "search_text"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    today = now_jst().date()
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.stale = entry.is_stale(today)  # type: ignore[attr-defined]
    return render(
        request,
        "knowledge/list.html",
        {
            "filters": filters,
            "filtered": bool(filters.values()),
            "page_obj": page,
            "entries": page.object_list,
            "query_string": _query_string(filters),
            "tags": _popular_tags(),
            "can_write": writer or access.writable_events(request.user).exists(),
        },
    )


@require_safe
def detail(request: SignedInRequest, entry_id: int) -> HttpResponse:
    entry = access.access_faq(request.user, entry_id)
    return render(
        request,
        "knowledge/detail.html",
        {
            "entry": entry,
            "answer_html": render_markdown(entry.answer),
            "duties": list(entry.duties.all()),
            "tags": list(entry.tags.all()),
            "editors": list(entry.editors.all()),
            "stale": entry.is_stale(),
            "version_count": entry.revisions.count(),
            "source": access.visible_source(request.user, entry),
            "can_edit": access.can_write_faq(request.user, entry),
        },
    )


@require_safe
def history(request: SignedInRequest, entry_id: int) -> HttpResponse:
    entry = access.access_faq(request.user, entry_id)
    return render(request, "knowledge/history.html", {"entry": entry, "versions": versions(entry)})


def new(request: SignedInRequest) -> HttpResponse:
    user = request.user
    if not (access.writes_any_faq(user) or access.writable_events(user).exists()):
        raise Http404
    initial: dict[str, Any] = {"as_of": now_jst().date()}
    event_id = request.GET.get("event", "")
    if event_id.isdigit():
        initial["source_event"] = int(event_id)
        # An answered agenda item of that session, turned into an entry by its host.
        agenda_id = request.GET.get("agenda", "")
        if agenda_id.isdigit():
            initial.update(faq_prefill(user, int(event_id), int(agenda_id)))
    form = FaqForm(request.POST or None, user=user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["answer"])
        else:
            try:
                entry = do_create_faq(data=form.entry_data(), actor=request.user)
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("FAQを保存しました。"))
                return redirect("knowledge:detail", entry_id=entry.pk)
    return render(request, "knowledge/form.html", {"form": form, "preview": preview})


def edit(request: SignedInRequest, entry_id: int) -> HttpResponse:
    entry = access.access_faq(request.user, entry_id)
    if not access.can_write_faq(request.user, entry):
        raise Http404
    form = FaqForm(request.POST or None, user=request.user, entry=entry)
    preview = None
    latest: FaqEntry | None = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["answer"])
        else:
            try:
                do_edit_faq(
                    entry,
                    data=form.entry_data(),
                    expected_version=form.cleaned_data["version"] or 0,
                    actor=request.user,
                )
            except PermissionDenied as error:
                raise Http404 from error
            except EditConflict as conflict:
                latest = conflict.current
                form = _keep_typed(form, conflict, request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("FAQを更新しました。"))
                return redirect("knowledge:detail", entry_id=entry.pk)
    context: dict[str, Any] = {"form": form, "entry": entry, "preview": preview}
    if latest is not None:
        context.update(latest=latest, latest_html=render_markdown(latest.answer))
    return render(request, "knowledge/form.html", context)


def _keep_typed(form: FaqForm, conflict: EditConflict, user: User) -> FaqForm:
    """The writer's text stays in the form; the hidden version moves to the one now stored, so
    saving again (after reading the latest) is a deliberate choice, not an accident."""
    data = form.data.copy()  # type: ignore[attr-defined]  # the POST QueryDict
    data["version"] = str(conflict.current.version)
    again = FaqForm(data, user=user, entry=conflict.current)
    again.is_valid()
    again.add_error(None, conflict)
    return again


def label_sources(user: User, entries: list[FaqEntry]) -> None:
    """Name each entry's session, in one query, when the reader may see that session."""
    ids = {e.source_event_id for e in entries if e.source_event_id}
    events = visible_events(user).filter(pk__in=ids).select_related("series") if ids else []
    labels = {event.pk: event_label(event) for event in events}
    for entry in entries:
        label = labels.get(entry.source_event_id or 0, "")
        entry.source_label = label  # type: ignore[attr-defined]


def _document(request: SignedInRequest) -> tuple[FaqDocument, FaqFilterForm]:
    """Documents hold published entries only, whoever downloads them, oldest first."""
    filters = FaqFilterForm(request.GET, user=request.user)
    filters.fields.pop("drafts")
    entries = filters.apply(FaqEntry.objects.published()).for_list().order_by("created_at", "id")
    chosen = list(entries[: DOCUMENT_LIMIT + 1])
    label_sources(request.user, chosen)
    document = FaqDocument(
        label=filters.label(),
        entries=chosen[:DOCUMENT_LIMIT],
        truncated=len(chosen) > DOCUMENT_LIMIT,
    )
    return document, filters


@require_safe
def document(request: SignedInRequest) -> HttpResponse:
    doc, filters = _document(request)
    for entry in doc.entries:
        entry.answer_html = render_markdown(entry.answer)  # type: ignore[attr-defined]
        entry.stale = entry.is_stale(doc.today)  # type: ignore[attr-defined]
    return render(
        request,
        "knowledge/document.html",
        {"document": doc, "query_string": _query_string(filters)},
    )


@require_safe
def document_pdf(request: SignedInRequest) -> HttpResponse:
    return pdf_response(_document(request)[0])


@require_safe
def document_xlsx(request: SignedInRequest) -> HttpResponse:
    return xlsx_document_response(_document(request)[0])
