from django.urls import path

from copil.audit import views

urlpatterns = [
    path("actions/<int:pk>/historique/", views.action_history, name="action_history"),
    path("conventions/<int:pk>/historique/", views.convention_history, name="convention_history"),
]
