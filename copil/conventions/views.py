from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from copil.conventions.selectors import convention_rows


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "conventions/home.html", {"rows": convention_rows()})
