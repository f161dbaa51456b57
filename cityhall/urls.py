from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from cityhall.core.gate import public
from cityhall.interface import views as interface_views

admin.site.site_header = admin.site.site_title = "Online City Hall admin"
handler500 = "cityhall.core.errors.server_error"

urlpatterns = [
    path("", interface_views.home, name="home"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/settings/export/", interface_views.export_data, name="export_data"),
    path(
        "accounts/settings/export/panel/",
        interface_views.export_data_panel,
        name="export_data_panel",
    ),
    path(
        "accounts/settings/export/<int:export_id>/download/",
        interface_views.export_data_download,
        name="export_data_download",
    ),
    path("accounts/", include("cityhall.accounts.urls")),
    path("organizations/", include("cityhall.organizations.urls")),
    path("", include("cityhall.members.urls")),
    path("members/", include("cityhall.interface.profile_urls")),
    path("staff/", include("cityhall.interface.staff_urls")),
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
