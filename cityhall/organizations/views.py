from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityhall.core.gate import public
from cityhall.organizations.models import Organization

MAX_RESULTS = 20
MAX_QUERY_LENGTH = 50


@public  # the application form is public, and so is this reference list
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Type-ahead options (an HTML fragment of <li role="option">) for OrganizationChoiceField."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    results = (
        Organization.objects.active()
        .search(query)
        .select_related("prefecture", "parent")[:MAX_RESULTS]
    )
    response = render(request, "organizations/search_results.html", {"results": results})
    response["Cache-Control"] = "max-age=300"
    return response
