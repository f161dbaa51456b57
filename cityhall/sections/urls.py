from django.urls import path

from cityhall.sections import views

app_name = "sections"
urlpatterns = [
    path("", views.section_list, name="list"),
    path("mine/", views.my_sections, name="mine"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/cover/", views.cover, name="cover"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/requests/<int:membership_id>/", views.decide, name="decide"),
    path("<slug:slug>/role/", views.set_role, name="set_role"),
]
