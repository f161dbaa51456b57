from django.urls import path

from cityhall.moderation import views

app_name = "moderation"
urlpatterns = [
    path("report/post/<int:post_id>/", views.report_post, name="report_post"),
    path("report/comment/<int:comment_id>/", views.report_comment, name="report_comment"),
    path("hidden/", views.hidden, name="hidden"),
]
