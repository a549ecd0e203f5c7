from django.urls import path

from copil.reviews import views

urlpatterns = [
    path("conventions/<int:pk>/bilans/", views.review_list, name="review_list"),
    path("bilans/<int:pk>/", views.review_detail, name="review_detail"),
    path("bilans/<int:pk>/rediger/", views.review_write, name="review_write"),
    path("bilans/<int:pk>/examiner/", views.review_mark_reviewed, name="review_mark_reviewed"),
    path("bilans/<int:pk>/valider/", views.review_validate, name="review_validate"),
    path("bilans/<int:pk>/telecharger/<str:fmt>/", views.review_download, name="review_download"),
]
