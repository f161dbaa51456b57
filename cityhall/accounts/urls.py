from django.urls import path

from cityhall.accounts import (
    deletion_views,
    email_views,
    password_views,
    session_views,
    two_factor_views,
    views,
)

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/link/", views.login_link, name="login_link"),
    path("login/link/sent/", views.login_link_sent, name="login_link_sent"),
    path("login/link/<str:token>/", views.login_link_use, name="login_link_use"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/delete/", deletion_views.delete_account, name="delete"),
    path(
        "settings/delete/confirm/<str:token>/",
        deletion_views.delete_confirm,
        name="delete_confirm",
    ),
    path("deleted/", deletion_views.delete_requested, name="delete_requested"),
    path("password/", password_views.password_change, name="password_change"),
    path("password/reset/", password_views.password_reset, name="password_reset"),
    path("password/reset/sent/", password_views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/done/",
        password_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        password_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("email/", email_views.email_change, name="email_change"),
    path("email/sent/", email_views.email_change_sent, name="email_change_sent"),
    path(
        "email/confirm/<str:token>/", email_views.email_change_confirm, name="email_change_confirm"
    ),
    path("sessions/", session_views.sessions, name="sessions"),
    path("sessions/others/end/", session_views.sessions_end_others, name="sessions_end_others"),
    path("sessions/<str:session_id>/end/", session_views.session_end, name="session_end"),
    path("two-factor/", two_factor_views.two_factor_verify, name="two_factor"),
    path("two-factor/setup/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/disable/", two_factor_views.two_factor_disable, name="two_factor_disable"),
]
