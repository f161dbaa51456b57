"""The search page and the "similar questions" fragment shown while writing a question."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render

from cityhall.accounts.requests import SignedInRequest
from cityhall.search import engine
from cityhall.search.forms import SearchForm
from cityhall.search.query import clean, parse

PAGE_SIZE = 20
SUGGEST_TITLE_CHARS = 120


def _cleaned(params: QueryDict) -> QueryDict:
    """The query string with control characters taken out of the words (a NUL would otherwise
    make the form refuse them), so whatever was typed gets an answer."""
    data = params.copy()
    data["q"] = clean(params.get("q", ""))
    return data


def results(request: SignedInRequest) -> HttpResponse:
    form = SearchForm(_cleaned(request.GET))
    query = parse(form.data.get("q", ""))
    page = hits = None
    if form.is_valid() and query.searchable:
        documents = engine.search(request.user, query, form.filters())
        page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
        found = engine.documents(list(page.object_list))
        hits = engine.present(request.user, found, query.highlight)
    keep = [(k, v) for k, v in form.data.items() if k != "page" and v]
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "hits": hits,
            "query_string": urlencode(keep),
        },
    )


def suggest(request: SignedInRequest) -> HttpResponse:
    """htmx: existing questions like the title being typed (an empty fragment when none)."""
    title = clean(request.GET.get("title", ""))[:SUGGEST_TITLE_CHARS]
    hits = engine.similar(request.user, title) if title else []
    return render(request, "search/suggestions.html", {"hits": hits, "title": title})
