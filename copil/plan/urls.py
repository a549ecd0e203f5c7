from django.urls import path

from copil.plan import views

urlpatterns = [
    path("conventions/<int:pk>/plan/", views.plan_detail, name="plan_detail"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/modifier/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/moyens/", views.action_parts, name="action_parts"),
    path("actions/<int:pk>/notes/", views.action_note_add, name="action_note_add"),
    path("actions/<int:pk>/commentaires/", views.action_comment_add, name="action_comment_add"),
    path(
        "actions/<int:pk>/pieces-jointes/",
        views.action_attachment_add,
        name="action_attachment_add",
    ),
    path("actions/<int:pk>/supprimer/", views.action_delete, name="action_delete"),
    path("actions/<int:pk>/restaurer/", views.action_restore, name="action_restore"),
    path("pieces-jointes/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("actions/<int:pk>/historique/", views.action_history, name="action_history"),
    path("conventions/<int:pk>/historique/", views.convention_history, name="convention_history"),
]
