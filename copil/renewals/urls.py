from django.urls import path

from copil.renewals import views

urlpatterns = [
    path("conventions/<int:pk>/renouveler/", views.renew, name="convention_renew"),
]
