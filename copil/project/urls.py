from django.contrib import admin
from django.urls import path

from copil.conventions import views as convention_views

admin.site.site_header = "copil — administration"
admin.site.site_title = "copil"

urlpatterns = [
    path("", convention_views.home, name="home"),
    path("admin/", admin.site.urls),
]
