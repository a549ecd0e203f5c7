from django.urls import path

from copil.conventions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("conventions/<int:pk>/", views.convention_detail, name="convention_detail"),
]
