"""The staff's own sign-in page (/personal/entrar/). The back office's login
takes only accounts with back-office access (is_staff), and advisors,
orientation staff and Aló MAC operators have none: without this page they
could not reach the screens they work at. Any active account signs in here;
each screen still checks the role it needs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from mac.accounts.models import Role
from mac.queueing import actions
from mac.queueing.errors import QueueError
from mac.queueing.models import AdvisorSession


class SignInForm(AuthenticationForm):
    """Django's form, with the project's own words (Django has no Quechua)."""

    error_messages = {
        "invalid_login": _("El usuario o la contraseña no son correctos. Revise las mayúsculas."),
        "inactive": _("Esta cuenta está desactivada."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Usuario")
        self.fields["password"].label = _("Contraseña")


def home_for(user: Any) -> str:
    """Where a user goes after signing in without a page to go back to."""
    center = getattr(user, "center", None)
    if user.role == Role.ADVISOR and center is not None:
        return reverse("screens:advisor", args=[center.slug])
    if user.role == Role.ORIENTATION and center is not None:
        return reverse("screens:orientation", args=[center.slug])
    if user.role == Role.CALL_CENTER:
        return reverse("quality:staff_new")
    if user.is_staff:
        return reverse("admin:index")
    return reverse("portal:home")


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"

    def get_default_redirect_url(self) -> str:
        return home_for(self.request.user)


@require_POST
@never_cache
def sign_out(request: HttpRequest) -> HttpResponse:
    """Leave the account (a POST, with the CSRF token: a link could sign
    anyone out). Staff share the PCs of a center, so every staff page offers
    it. An advisor still at a counter is signed out of the counter first; one
    in the middle of an attention is told to finish it, and stays signed in
    (409), as the desk's own "Dejar el módulo" does."""
    user = request.user
    if user.is_authenticated:
        session = (
            AdvisorSession.objects.select_related("counter")
            .filter(advisor=user, ended_at=None)
            .first()
        )
        if session is not None:
            try:
                actions.sign_out(session.counter, by=user)
            except QueueError as refused:
                context = {"reason": refused.message, "back": _back(request)}
                return render(request, "accounts/sign_out_refused.html", context, status=409)
    logout(request)
    return redirect(reverse("accounts:sign_in") + "?salida=1")


def _back(request: HttpRequest) -> str:
    """The page the form was on, when it is one of ours."""
    back = request.POST.get("next", "")
    ok = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return back if back and ok else reverse("portal:home")
