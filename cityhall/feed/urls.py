from django.urls import path

from cityhall.feed import views

app_name = "feed"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("members/<int:user_id>/posts/", views.member_posts, name="member_posts"),
]
