from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Plataforma MAC")


def search(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def service(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")


def centers(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


def center(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse("")
