from django.urls import path

from copil.monitoring import views

urlpatterns = [
    path("indicateurs/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicateurs/<int:pk>/modifier/", views.indicator_edit, name="indicator_edit"),
    path(
        "indicateurs/<int:pk>/mesures/nouvelle/",
        views.measurement_create,
        name="measurement_create",
    ),
    path("mesures/<int:pk>/modifier/", views.measurement_edit, name="measurement_edit"),
    path("mesures/<int:pk>/soumettre/", views.measurement_submit, name="measurement_submit"),
    path("mesures/<int:pk>/supprimer/", views.measurement_delete, name="measurement_delete"),
    path("mesures/<int:pk>/rouvrir/", views.measurement_reopen, name="measurement_reopen"),
    path(
        "conventions/<int:pk>/indicateurs/",
        views.convention_indicators,
        name="convention_indicators",
    ),
    path(
        "conventions/<int:pk>/indicateurs/valider/",
        views.period_validate,
        name="period_validate",
    ),
    path("conventions/<int:pk>/indicateurs/rouvrir/", views.period_reopen, name="period_reopen"),
    path("conventions/<int:pk>/secret-statistique/", views.secrecy_edit, name="secrecy_edit"),
    path("conventions/<int:pk>/mesures.csv", views.measurements_csv, name="measurements_csv"),
    path(
        "conventions/<int:pk>/mesures/import/",
        views.measurements_import,
        name="measurements_import",
    ),
]
