from django.urls import path

from copil.conventions import views

urlpatterns = [
    path("", views.home, name="home"),
    path("conventions/<int:pk>/", views.convention_detail, name="convention_detail"),
    path("importer/", views.import_upload, name="import_upload"),
    path("importer/<int:pending_pk>/", views.import_preview, name="import_preview"),
    path("importer/<int:pending_pk>/confirmer/", views.import_confirm, name="import_confirm"),
    path("conventions/<int:pk>/importer/", views.import_upload, name="convention_import"),
    path("conventions/<int:pk>/avenants/", views.amendment_list, name="amendment_list"),
    path("conventions/<int:pk>/avenants/nouveau/", views.amendment_create, name="amendment_create"),
    path(
        "conventions/<int:pk>/avenants/<int:number>/",
        views.amendment_detail,
        name="amendment_detail",
    ),
    path(
        "conventions/<int:pk>/avenants/<int:number>/modifier/",
        views.amendment_update,
        name="amendment_update",
    ),
    path(
        "conventions/<int:pk>/avenants/<int:number>/signer/",
        views.amendment_sign,
        name="amendment_sign",
    ),
    path("conventions/<int:pk>/versions/", views.plan_versions, name="plan_versions"),
]
