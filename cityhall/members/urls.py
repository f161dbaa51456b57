from django.urls import path

from cityhall.members import views

app_name = "members"
urlpatterns = [
    path("join/", views.apply, name="apply"),
    path("join/sent/", views.sent, name="sent"),
    path("join/verify/<str:token>/", views.verify, name="verify"),
    path("join/verify/<str:token>/resend/", views.resend_verification, name="resend"),
    path("join/status/", views.status, name="status"),
    path("join/status/<int:application_id>/reply/", views.reply, name="reply"),
    path("join/status/<int:application_id>/correct/", views.correct, name="correct"),
    path("join/status/<int:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path("join/activate/<str:token>/", views.activate, name="activate"),
    path("welcome/", views.welcome, name="welcome"),
    path("rules/", views.rules, name="rules"),
    path("privacy/", views.privacy, name="privacy"),
]
