from django.urls import path

from copil.plan import views

urlpatterns = [
    path("conventions/<int:pk>/plan/", views.plan_detail, name="plan_detail"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
]
