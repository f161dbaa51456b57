from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from cityhall.accounts.gate import public
from cityhall.staff import views as staff_views

admin.site.site_header = admin.site.site_title = "Online City Hall admin"
handler500 = "cityhall.lib.errors.server_error"

urlpatterns = [
    path("", staff_views.home, name="home"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include("cityhall.accounts.urls")),
    path("organizations/", include("cityhall.organizations.urls")),
    path("", include("cityhall.members.urls")),
    path("members/", include("cityhall.members.profile_urls")),
    path("staff/", include("cityhall.staff.urls")),
    path("staff/applications/", include("cityhall.members.staff_urls")),
    path("staff/duties/", include("cityhall.members.duty_urls")),
    path("staff/members/", include("cityhall.accounts.staff_urls")),
    path("staff/insights/", include("cityhall.insights.staff_urls")),
    path("insights/", include("cityhall.insights.urls")),
    path("directory/", include("cityhall.directory.urls")),
    path("sections/", include("cityhall.sections.urls")),
    path("staff/sections/", include("cityhall.sections.staff_urls")),
    path("posts/", include("cityhall.posts.urls")),
    path("search/", include("cityhall.search.urls")),
    path("events/", include("cityhall.events.urls")),
    path("notifications/", include("cityhall.notifications.urls")),
    path("faq/", include("cityhall.knowledge.urls")),
    path("moderation/", include("cityhall.moderation.urls")),
    path("staff/moderation/", include("cityhall.moderation.staff_urls")),
    path("feed/", include("cityhall.feed.urls")),
    path("broadcasts/", include("cityhall.broadcasts.urls")),
    path("admin/", admin.site.urls),
]
