"""The compliments book (felicitaciones): a light form on the portal (name and
document optional), its code, and the staff list scoped by entity, center or
advisor (mac.quality.access)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from mac.core import pow
from mac.quality import access, actions
from mac.quality.conf import conf
from mac.quality.errors import QualityError
from mac.quality.forms import ComplimentForm
from mac.quality.models import Channel, Compliment, PersonalDataAccess
from mac.quality.views import client_address

SESSION_KEY = "quality.compliment"


def _page(request: HttpRequest, form: ComplimentForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "pow_required": conf("POW_REQUIRED")}
    return render(request, "quality/compliment.html", context, status=status)


def _pow_solved(request: HttpRequest) -> bool:
    try:
        pow.verify(request.POST.get("pow", ""), purpose=pow.Purpose.COMPLIMENTS)
    except pow.PowError:
        return False
    return True


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ComplimentForm())
    form = ComplimentForm(request.POST)
    if not form.is_valid():
        return _page(request, form, 422)
    if conf("POW_REQUIRED") and not _pow_solved(request):
        form.add_error(
            None,
            _(
                "No pudimos completar la verificación de seguridad de tu navegador. "
                "Espera unos segundos y vuelve a enviar."
            ),
        )
        return _page(request, form, 400)
    data = form.cleaned_data
    try:
        compliment = actions.file_compliment(
            entity=data["entity"],
            channel=data["channel"],
            center=data["center"] if data["channel"] == Channel.CENTER else None,
            advisor_name=data["advisor_name"],
            counter=data["counter"],
            text=data["text"],
            name=data["name"],
            document_type=data["document_type"],
            document_number=data["document_number"],
            client_address=client_address(request),
        )
    except QualityError as refused:
        form.add_action_error(refused)
        return _page(request, form, refused.status)
    request.session[SESSION_KEY] = compliment.code
    return redirect("compliments:done")


@require_safe
@never_cache
def done(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_KEY)
    compliment = Compliment.objects.select_related("entity", "center").filter(code=code).first()
    if compliment is None:
        return redirect("compliments:new")
    return render(request, "quality/compliment_done.html", {"compliment": compliment})


@require_safe
@never_cache
def pow_challenge(request: HttpRequest) -> JsonResponse:
    """A fresh proof-of-work challenge for the compliment form, sized and
    timed as the claim sheet's (the quality settings), for this book only."""
    challenge = pow.new_challenge(
        purpose=pow.Purpose.COMPLIMENTS,
        max_number=conf("POW_MAX_NUMBER"),
        seconds=conf("POW_SECONDS"),
    )
    return JsonResponse(challenge.as_dict())


@login_required
@require_safe
@never_cache
def staff_list(request: HttpRequest) -> HttpResponse:
    if not access.reads_compliments(request.user):
        raise PermissionDenied(_("No tiene acceso al libro de felicitaciones."))
    qs = access.compliments_visible_to(request.user).select_related("entity", "center", "advisor")
    page = Paginator(qs.order_by("-filed_at", "-pk"), 50).get_page(request.GET.get("pagina"))
    # The citizen's name, when given, is personal data: each one shown is logged.
    named = [compliment for compliment in page.object_list if compliment.name]
    actions.log_access(request.user, PersonalDataAccess.Purpose.LIST, named)
    context = {"page": page, "section": "compliments"}
    return render(request, "quality/staff_compliments.html", context)
