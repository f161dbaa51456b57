"""What nginx asks the app: may this stream be published (RTMP callbacks), and may this
person fetch this HLS file (auth_request). Not pages: plain status codes, no redirects to sign in.

The RTMP callbacks come from nginx on the loopback and carry the shared callback secret in
their URL; without it they are refused whatever they claim.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from cityhall.broadcasts import streaming
from cityhall.core.gate import needs_second_factor, public


def _callback_allowed(request: HttpRequest) -> bool:
    return streaming.valid_secret(request.GET.get("secret", ""))


@public
@csrf_exempt
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """on_publish: accept the programme's key during its self-hosted episode; refuse anything
    else (nginx then drops the connection)."""
    if not _callback_allowed(request):
        return HttpResponse(status=403)
    episode = streaming.episode_for_key(request.POST.get("name", ""), request.POST.get("key", ""))
    if episode is None:
        return HttpResponse(status=403)
    streaming.do_start_stream(episode)
    return HttpResponse(status=204)


@public
@csrf_exempt
@require_POST
def publish_done(request: HttpRequest) -> HttpResponse:
    if not _callback_allowed(request):
        return HttpResponse(status=403)
    episode = streaming.streamed_episode(request.POST.get("name", ""))
    if episode is not None:
        streaming.do_end_stream(episode)
    return HttpResponse(status=204)


@public
@csrf_exempt
@require_POST
def record_done(request: HttpRequest) -> HttpResponse:
    """on_record_done: the recording of a finished stream becomes the episode's archive."""
    if not _callback_allowed(request):
        return HttpResponse(status=403)
    episode = streaming.streamed_episode(request.POST.get("name", ""))
    path = streaming.recording_path(request.POST.get("path", ""))
    if episode is None or path is None:
        return HttpResponse(status=404)
    streaming.do_queue_archive(episode, path)
    return HttpResponse(status=204)


@public
@require_safe
def hls_auth(request: HttpRequest) -> HttpResponse:
    """auth_request for every playlist and segment: members only (staff with their second
    factor), the same rule as the pages."""
    user = request.user
    if not user.is_authenticated:
        return HttpResponse(status=401)
    if not user.is_member or needs_second_factor(user):
        return HttpResponse(status=403)
    response = HttpResponse(status=204)
    response["Cache-Control"] = "private, no-store"
    return response
