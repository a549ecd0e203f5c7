"""Thin views: the permission funnel, a selector, a template."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from copil.accounts import perms
from copil.conventions import selectors


def home(request: HttpRequest) -> HttpResponse:
    rows = selectors.convention_rows(conventions=perms.conventions_for(request.user))
    return render(request, "conventions/home.html", {"rows": rows})


def convention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(
        request.user, pk, queryset=selectors.convention_detail_queryset()
    )
    page = selectors.convention_page(convention, visible=perms.conventions_for(request.user))
    return render(request, "conventions/detail.html", {"page": page, "convention": convention})
