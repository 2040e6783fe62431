"""The staff's own sign-in page (/personal/entrar/). The back office's login
takes only accounts with back-office access (is_staff), and advisors,
orientation staff and Aló MAC operators have none: without this page they
could not reach the screens they work at. Any active account signs in here;
each screen still checks the role it needs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mac.accounts.models import Role


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
