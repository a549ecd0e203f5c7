from django.urls import path

from copil.reports import views

urlpatterns = [
    path("recherche/", views.search_page, name="search"),
    path("conventions/<int:pk>/tableau-de-bord/", views.dashboard, name="dashboard"),
]
