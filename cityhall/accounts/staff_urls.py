from django.urls import path

from cityhall.accounts import deletion_views, staff_views

app_name = "staff_members"
urlpatterns = [
    path("", staff_views.member_list, name="list"),
    path("<int:user_id>/", staff_views.member_detail, name="detail"),
    path("<int:user_id>/suspend/", staff_views.member_suspend, name="suspend"),
    path("<int:user_id>/reactivate/", staff_views.member_reactivate, name="reactivate"),
    path("<int:user_id>/role/", staff_views.member_role, name="role"),
    path(
        "<int:user_id>/two-factor/reset/",
        staff_views.member_reset_two_factor,
        name="reset_two_factor",
    ),
    path("<int:user_id>/delete/", deletion_views.member_delete, name="delete"),
]
