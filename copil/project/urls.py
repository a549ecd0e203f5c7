from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "copil — administration"
admin.site.site_title = "copil"

urlpatterns = [
    path("", include("copil.accounts.urls")),
    path("", include("copil.conventions.urls")),
    path("", include("copil.plan.urls")),
    path("", include("copil.reports.urls")),
    path("", include("copil.governance.urls")),
    path("", include("copil.monitoring.urls")),
    path("", include("copil.reviews.urls")),
    path("", include("copil.notifications.urls")),
    path("", include("copil.renewals.urls")),
    path("admin/", admin.site.urls),
]
