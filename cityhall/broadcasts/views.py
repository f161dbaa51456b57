"""The timetable, programme and episode pages, and running a programme's episodes.

Members only (the gate's default): the stream URL and everything else about a broadcast stay
inside the community.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cityhall.accounts.requests import SignedInRequest
from cityhall.broadcasts import signals
from cityhall.broadcasts.access import (
    access_episode,
    access_live_comment,
    access_programme,
    can_run,
)
from cityhall.broadcasts.actions import (
    COMMENT_MAX,
    comments_open,
    do_archive_programme,
    do_cancel_episode,
    do_delete_live_comment,
    do_follow,
    do_mute,
    do_post_live_comment,
    do_record_play,
    do_rotate_stream_key,
    do_save_episode,
    do_save_programme,
    do_unfollow,
)
from cityhall.broadcasts.forms import EpisodeForm, ProgrammeForm
from cityhall.broadcasts.live import as_message, comments_after, viewers
from cityhall.broadcasts.models import ArchiveStatus, Episode, Programme, ProgrammeFollow
from cityhall.broadcasts.players import player_embed
from cityhall.core.files import serve_file
from cityhall.core.gate import staff_only
from cityhall.core.jst import JST, now_jst
from cityhall.core.limits import body_limit, image_limit

DAYS_SHOWN = 7
DAYS_BACK = 7  # the timetable reaches back a week, for catching up on archives


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=JST)
    return start, start + timedelta(days=1)


@require_safe
def timetable(request: SignedInRequest) -> HttpResponse:
    """Today's (or the chosen day's) episodes like a TV guide, the week ahead as tabs, and
    every programme."""
    today = now_jst().date()
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = today
    if not today - timedelta(days=DAYS_BACK) <= day <= today + timedelta(days=DAYS_SHOWN):
        day = today
    start, end = _day_bounds(day)
    episodes = (
        Episode.objects.filter(programme__archived_at=None)
        .between(start, end)
        .select_related("programme")
        .order_by("starts_at")
    )
    programmes = Programme.objects.active().prefetch_related("personalities")
    followed = set(
        ProgrammeFollow.objects.filter(user=request.user).values_list("programme_id", flat=True)
    )
    return render(
        request,
        "broadcasts/timetable.html",
        {
            "day": day,
            "today": today,
            "week": [today + timedelta(days=i) for i in range(DAYS_SHOWN)],
            "episodes": list(episodes),
            "programmes": programmes,
            "followed": followed,
            "now": now_jst(),
        },
    )


@require_safe
def programme(request: SignedInRequest, slug: str) -> HttpResponse:
    programme = access_programme(request.user, slug)
    now = now_jst()
    upcoming = programme.episodes.filter(ends_at__gt=now).order_by("starts_at")[:10]
    past = programme.episodes.filter(ends_at__lte=now, cancelled_at=None).order_by("-starts_at")
    return render(
        request,
        "broadcasts/programme.html",
        {
            "programme": programme,
            "personalities": programme.personalities.select_related("profile__organization"),
            "upcoming": list(upcoming),
            "past": list(past[:30]),
            "follows": ProgrammeFollow.objects.filter(
                programme=programme, user=request.user
            ).exists(),
            "can_run": can_run(request.user, programme),
        },
    )


@require_safe
def cover(request: SignedInRequest, slug: str) -> HttpResponseBase:
    programme = access_programme(request.user, slug)
    if not programme.cover:
        raise Http404
    return serve_file(request, programme.cover, filename=f"{programme.slug}.jpg")


@require_POST
def follow(request: SignedInRequest, slug: str) -> HttpResponse:
    programme = access_programme(request.user, slug)
    if request.POST.get("follow") == "0":
        do_unfollow(programme, user=request.user)
        messages.success(request, _("「%(title)s」のフォローをやめました。") % {"title": programme})
    else:
        do_follow(programme, user=request.user)
        messages.success(
            request,
            _("「%(title)s」をフォローしました。放送が始まるとメールでお知らせします。")
            % {"title": programme},
        )
    return redirect("broadcasts:programme", slug=programme.slug)


def _episode_page(
    request: SignedInRequest,
    episode: Episode,
    *,
    draft: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = now_jst()
    on_air = episode.is_on_air(now)
    return render(
        request,
        "broadcasts/episode.html",
        {
            "episode": episode,
            "programme": episode.programme,
            "on_air": on_air,
            "ended": episode.has_ended(now),
            "embed": player_embed(episode.stream_url) if on_air else "",
            "archive_embed": player_embed(episode.archive_url),
            "can_run": can_run(request.user, episode.programme),
            "comments_open": comments_open(episode),
            "comment_max": COMMENT_MAX,
            "recent_comments": comments_after(episode.pk, 0),
            "viewers": viewers(episode.pk),
            "draft": draft,
            "comment_error": error,
            "hls_url": f"{settings.BROADCAST_HLS_URL}{episode.programme.slug}.m3u8",
            "rtmp_url": settings.BROADCAST_RTMP_URL,
        },
        status=status,
    )


@require_safe
def episode(request: SignedInRequest, episode_id: int) -> HttpResponse:
    episode = access_episode(request.user, episode_id)
    signals.episode_viewed.send(sender=Episode, episode=episode, user=request.user)
    if episode.archive_url and episode.has_ended() and not episode.is_cancelled:
        # An external archive plays inside the other service's frame, out of our sight:
        # opening its page is what we can count.
        do_record_play(episode, user=request.user)
    return _episode_page(request, episode)


def _require_runner(request: SignedInRequest, programme: Programme) -> None:
    if not can_run(request.user, programme):
        raise PermissionDenied


def new_episode(request: SignedInRequest, slug: str) -> HttpResponse:
    programme = access_programme(request.user, slug)
    _require_runner(request, programme)
    form = EpisodeForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        episode = do_save_episode(form.save(commit=False), actor=request.user)
        messages.success(request, _("放送回を登録しました。"))
        return redirect("broadcasts:episode", episode_id=episode.pk)
    return render(request, "broadcasts/episode_form.html", {"form": form, "programme": programme})


def edit_episode(request: SignedInRequest, episode_id: int) -> HttpResponse:
    episode = access_episode(request.user, episode_id)
    _require_runner(request, episode.programme)
    form = EpisodeForm(request.POST or None, instance=episode, programme=episode.programme)
    if request.method == "POST" and form.is_valid():
        do_save_episode(form.save(commit=False), actor=request.user)
        messages.success(request, _("放送回を更新しました。"))
        return redirect("broadcasts:episode", episode_id=episode.pk)
    return render(
        request,
        "broadcasts/episode_form.html",
        {"form": form, "programme": episode.programme, "episode": episode},
    )


@require_POST
def cancel_episode(request: SignedInRequest, episode_id: int) -> HttpResponse:
    episode = access_episode(request.user, episode_id)
    _require_runner(request, episode.programme)
    if episode.has_ended() or episode.is_cancelled:
        messages.error(request, _("終了した放送回や中止済みの放送回は中止できません。"))
    else:
        do_cancel_episode(episode, actor=request.user)
        messages.success(request, _("放送回を中止しました。"))
    return redirect("broadcasts:episode", episode_id=episode.pk)


@staff_only
@body_limit(image_limit)
def new_programme(request: SignedInRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        programme = do_save_programme(
            form.save(commit=False),
            personalities=form.cleaned_data["personality_emails"],
            cover=form.cleaned_data["cover_upload"],
            actor=request.user,
        )
        messages.success(request, _("番組「%(title)s」を作成しました。") % {"title": programme})
        return redirect("broadcasts:programme", slug=programme.slug)
    return render(request, "broadcasts/programme_form.html", {"form": form})


@staff_only
@body_limit(image_limit)
def edit_programme(request: SignedInRequest, slug: str) -> HttpResponse:
    programme = access_programme(request.user, slug)
    form = ProgrammeForm(request.POST or None, request.FILES or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        do_save_programme(
            form.save(commit=False),
            personalities=form.cleaned_data["personality_emails"],
            cover=form.cleaned_data["cover_upload"],
            actor=request.user,
        )
        messages.success(request, _("番組を更新しました。"))
        return redirect("broadcasts:programme", slug=programme.slug)
    return render(request, "broadcasts/programme_form.html", {"form": form, "programme": programme})


@require_POST
def rotate_key(request: SignedInRequest, slug: str) -> HttpResponse:
    """Personalities and staff replace a leaked stream key; the old one stops working."""
    programme = access_programme(request.user, slug)
    _require_runner(request, programme)
    do_rotate_stream_key(programme, actor=request.user)
    messages.success(
        request, _("ストリームキーを再発行しました。配信ソフトの設定を更新してください。")
    )
    return redirect("broadcasts:programme", slug=programme.slug)


@staff_only
@require_POST
def archive_programme(request: SignedInRequest, slug: str) -> HttpResponse:
    programme = access_programme(request.user, slug)
    do_archive_programme(programme, actor=request.user)
    messages.success(request, _("番組「%(title)s」を終了しました。") % {"title": programme})
    return redirect("broadcasts:timetable")


# --- live comments ----------------------------------------------------------------------


@require_POST
def post_comment(request: SignedInRequest, episode_id: int) -> HttpResponse:
    """Post a live comment. From the page's script: 201 with the comment, or 400/429 with a
    Japanese message shown beside the box, which keeps what was typed. Without JavaScript: back
    to the page, or the page again with the message and the text."""
    episode = access_episode(request.user, episode_id)
    wants_json = request.headers.get("Accept") == "application/json"
    try:
        comment = do_post_live_comment(
            episode,
            request.POST.get("body"),
            submission_key=request.POST.get("submission_key"),
            actor=request.user,
        )
    except ValidationError as error:
        status = 429 if error.code == "throttled" else 400
        if wants_json:
            return JsonResponse({"error": error.messages[0]}, status=status)
        draft = str(request.POST.get("body", "")).replace("\x00", "")[:2000]
        return _episode_page(request, episode, draft=draft, error=error.messages[0], status=status)
    if wants_json:
        return JsonResponse({"comment": as_message(comment)}, status=201)
    return redirect(reverse("broadcasts:episode", args=[episode.pk]) + "#live-comments")


@require_safe
def comments(request: SignedInRequest, episode_id: int) -> JsonResponse:
    """Comments after ?after=<id>: the polling fallback, and the archive's replay."""
    episode = access_episode(request.user, episode_id)
    try:
        after = max(int(request.GET.get("after", "0")), 0)
    except ValueError:
        after = 0
    return JsonResponse(
        {"comments": comments_after(episode.pk, after), "viewers": viewers(episode.pk)}
    )


@require_POST
def delete_comment(request: SignedInRequest, comment_id: int) -> HttpResponse:
    comment = access_live_comment(request.user, comment_id)
    _require_runner(request, comment.episode.programme)
    do_delete_live_comment(comment, actor=request.user)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"deleted": comment.pk})
    messages.success(request, _("コメントを削除しました。"))
    return redirect("broadcasts:episode", episode_id=comment.episode_id)


@require_POST
def mute(request: SignedInRequest, comment_id: int) -> HttpResponse:
    """Mute the author of a comment for the rest of its episode."""
    comment = access_live_comment(request.user, comment_id)
    programme = comment.episode.programme
    _require_runner(request, programme)
    author = comment.author
    if author.is_staff_member or can_run(author, programme):
        message, status = _("運営事務局やパーソナリティはミュートできません。"), 400
    else:
        do_mute(comment.episode, author, actor=request.user)
        message, status = (
            _("%(name)sさんをこの放送回でミュートしました。") % {"name": author.full_name},
            200,
        )
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"message": message}, status=status)
    (messages.success if status == 200 else messages.error)(request, message)
    return redirect("broadcasts:episode", episode_id=comment.episode_id)


@require_safe
def archive_media(request: SignedInRequest, episode_id: int) -> HttpResponseBase:
    """A self-hosted episode's recording, to members only, with byte ranges for seeking."""
    episode = access_episode(request.user, episode_id)
    if episode.archive_status != ArchiveStatus.READY or not episode.archive_file:
        raise Http404
    return serve_file(request, episode.archive_file, filename=f"episode-{episode.pk}.mp4")


def archive_audio(request: SignedInRequest, episode_id: int) -> HttpResponseBase:
    """The same recording's sound alone, for the audio-only mode, on the same terms."""
    episode = access_episode(request.user, episode_id)
    if episode.archive_status != ArchiveStatus.READY or not episode.archive_audio:
        raise Http404
    return serve_file(request, episode.archive_audio, filename=f"episode-{episode.pk}.m4a")


@require_POST
def played(request: SignedInRequest, episode_id: int) -> HttpResponse:
    """The archive player's first "play" (sent by the page's script): counts the listener."""
    episode = access_episode(request.user, episode_id)
    if not episode.has_ended():
        return HttpResponse(status=400)
    do_record_play(episode, user=request.user)
    return HttpResponse(status=204)
