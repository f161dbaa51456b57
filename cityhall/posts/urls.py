from django.urls import path

from cityhall.posts import attachment_views, comment_views, views

app_name = "posts"
urlpatterns = [
    path("", views.lobby, name="lobby"),
    path("new/", views.new, name="new"),
    path("unanswered/", views.unanswered, name="unanswered"),
    path("sections/<slug:slug>/", views.section_posts, name="section"),
    path("<int:post_id>/", views.detail, name="detail"),
    path("<int:post_id>/edit/", views.edit, name="edit"),
    path("<int:post_id>/history/", views.history, name="history"),
    path("<int:post_id>/delete/", views.delete, name="delete"),
    path("<int:post_id>/restore/", views.restore, name="restore"),
    path("<int:post_id>/pin/", views.pin, name="pin"),
    path("<int:post_id>/comments/", views.comment, name="comment"),
    path("<int:post_id>/accept/<int:comment_id>/", views.accept, name="accept"),
    path("<int:post_id>/react/", views.react, name="react"),
    path("comments/<int:comment_id>/delete/", views.delete_comment, name="delete_comment"),
    path("comments/<int:comment_id>/edit/", comment_views.edit_comment, name="edit_comment"),
    path(
        "comments/<int:comment_id>/history/",
        comment_views.comment_history,
        name="comment_history",
    ),
    path("<int:post_id>/comments/since/", comment_views.comments_since, name="comments_since"),
    path(
        "<int:post_id>/files/<int:attachment_id>/",
        attachment_views.attachment,
        name="attachment",
    ),
    path(
        "<int:post_id>/files/<int:attachment_id>/thumbnail/",
        attachment_views.thumbnail,
        name="attachment_thumbnail",
    ),
]
