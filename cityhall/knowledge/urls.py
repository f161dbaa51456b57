from django.urls import path

from cityhall.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.new, name="new"),
    path("document/", views.document, name="document"),
    path("document.pdf", views.document_pdf, name="document_pdf"),
    path("document.xlsx", views.document_xlsx, name="document_xlsx"),
    path("<int:entry_id>/", views.detail, name="detail"),
    path("<int:entry_id>/edit/", views.edit, name="edit"),
    path("<int:entry_id>/history/", views.history, name="history"),
]
