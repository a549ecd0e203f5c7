from django.urls import path

from copil.governance import views

urlpatterns = [
    path("conventions/<int:pk>/gouvernance/", views.governance_page, name="governance_page"),
    path(
        "conventions/<int:pk>/gouvernance/reunions/nouvelle/",
        views.meeting_create,
        name="meeting_create",
    ),
    path(
        "conventions/<int:pk>/gouvernance/instances/nouvelle/",
        views.body_create,
        name="body_create",
    ),
    path("instances/<int:pk>/modifier/", views.body_edit, name="body_edit"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/approuver/", views.meeting_approve, name="meeting_approve"),
    path("taches/<int:pk>/faite/", views.task_complete, name="task_complete"),
]
