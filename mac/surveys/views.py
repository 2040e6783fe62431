"""The survey pages: the citizen's link (/encuestas/<token>/, from the status
page's QR, email or SMS) and the counter's tablet (/encuestas/modulo/<id>/).

The link's token is the key: the pages show no personal data and keep the
token out of caches and other sites' logs. A refused answer (answered,
expired, unknown) shows a page that says so and stores nothing. The link
speaks the language the citizen was attended in (the attention's, as the
status page speaks the visit's), unless the phone chose one itself with the
language switch (the language cookie); its thanks page speaks the language
the answer was given in.

The tablet shows the survey of the counter's last finished attention for
TABLET_MINUTES, or until the counter calls the next ticket; while there is
none it waits and asks again every few seconds (htmx), and while a survey
is on screen it checks that it is still the current one, so that the next
citizen never sees the previous one's. Each citizen starts in Spanish: the
language one chose goes back to settings.LANGUAGE_CODE when they are done
(thanks, skip, or their survey left the screen), as the ticket kiosk's
restart does."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mac.core.calendar import to_lima
from mac.core.language import link_language
from mac.core.params import parse_id
from mac.queueing.models import Attention, Counter
from mac.surveys import access, actions, notices
from mac.surveys.errors import AlreadyAnswered, Expired, Invalid, NotFound, SurveyError
from mac.surveys.forms import AnswerForm
from mac.surveys.models import Invitation, Response

TABLET_POLL_SECONDS = 5
TABLET_CHECK_SECONDS = 15
TABLET_THANKS_SECONDS = 8


def _ui_language() -> str:
    return "qu" if (get_language() or "").startswith("qu") else "es"


def _next_citizen(response: HttpResponse) -> HttpResponse:
    """Back to the default language: the next citizen at the tablet must not
    inherit the previous one's (as mac.screens.kiosk.restart)."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE, samesite="Lax")
    return response


def _private(response: HttpResponse) -> HttpResponse:
    # The token is the key: keep it out of caches and of other sites' logs.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # "no-referrer" would send Origin: null
    response["X-Robots-Tag"] = "noindex"
    return response


def _attention_context(attention: Attention) -> dict[str, Any]:
    return {
        "center_name": attention.center.name if attention.center else "",
        "entity_name": attention.entity.acronym,
        "service_name": attention.service.plain_name,
        "attended_on": date_format(to_lima(attention.ended_at), "j \\d\\e F \\d\\e Y"),
    }


# -- The link --------------------------------------------------------------------


def _refusal(request: HttpRequest, error: SurveyError) -> HttpResponse:
    templates = {
        NotFound: "surveys/not_found.html",
        AlreadyAnswered: "surveys/answered.html",
        Expired: "surveys/expired.html",
    }
    template = next(
        (name for kind, name in templates.items() if isinstance(error, kind)),
        "surveys/not_found.html",
    )
    return render(request, template, {"error": error}, status=error.status)


def _check(invitation: Invitation | None) -> SurveyError | None:
    """Why this link cannot be answered (the action says the same again)."""
    now = timezone.now()
    if invitation is None:
        return NotFound("", code="not_found")
    if invitation.answered_at is not None:
        return AlreadyAnswered("", code="already_answered")
    if invitation.is_expired(now):
        return Expired("", code="expired")
    return None


def _invitation(token: str) -> Invitation | None:
    if not actions.looks_like_token(token):
        return None
    return (
        Invitation.objects.select_related(
            "attention__center", "attention__entity", "attention__service"
        )
        .filter(token=token)
        .first()
    )


def _link_language(request: HttpRequest, language: str | None) -> str:
    """`language` (the attention's or the answer's) when the page has it,
    unless this browser chose one itself (the language cookie)."""
    return link_language(request, language) or get_language() or settings.LANGUAGE_CODE


def _in(language: str, page: Callable[[], HttpResponse]) -> HttpResponse:
    """The page rendered in `language` (its texts, <html lang>, the language
    switch and the dates), kept private."""
    with translation.override(language):
        response = page()
    response["Content-Language"] = language
    return _private(response)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    written_in = notices.page_language(invitation.attention) if invitation is not None else None
    return _in(
        _link_language(request, written_in), lambda: _answer_page(request, token, invitation)
    )


def _answer_page(request: HttpRequest, token: str, invitation: Invitation | None) -> HttpResponse:
    refused = _check(invitation)
    if refused is not None or invitation is None:
        return _refusal(request, refused or NotFound("", code="not_found"))
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data)
    error = ""
    if data is not None and form.is_valid():
        try:
            actions.answer(token, form.answers(), language=_ui_language())
        except (NotFound, AlreadyAnswered, Expired) as gone:
            return _refusal(request, gone)
        except Invalid as bad:
            error = bad.message
        else:
            return redirect("surveys:thanks", token=token)
    context = {"form": form, "error": error, **_attention_context(invitation.attention)}
    status = 422 if data is not None else 200
    return render(request, "surveys/answer.html", context, status=status)


@never_cache
@require_safe
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    """Thanks, in the language of the answer; a link not answered (or not a
    link) goes back to its page, which says why."""
    invitation = _invitation(token)
    response = Response.objects.filter(invitation=invitation).first() if invitation else None
    if response is None:
        return _private(redirect("surveys:answer", token=token))
    return _in(
        _link_language(request, response.language),
        lambda: render(request, "surveys/thanks.html"),
    )


# -- The counter's tablet ------------------------------------------------------------


def _tablet_counter(request: HttpRequest, counter_id: int) -> Counter | HttpResponse:
    counter = access.get_tablet_counter(request, counter_id)
    if counter is None:
        return render(request, "surveys/tablet_denied.html", status=403)
    return counter


def _tablet_form(
    request: HttpRequest,
    context: dict[str, Any],
    attention: Attention,
    form: AnswerForm,
    *,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context.update(
        form=form,
        error=error,
        attention=attention,
        check_seconds=TABLET_CHECK_SECONDS,
        **_attention_context(attention),
    )
    return render(request, "surveys/tablet.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def tablet(request: HttpRequest, counter_id: int) -> HttpResponse:
    found = _tablet_counter(request, counter_id)
    if isinstance(found, HttpResponse):
        return found
    counter = found
    attention = actions.pending_at_counter(counter, timezone.now())
    context: dict[str, Any] = {
        "counter": counter,
        "center": counter.center,
        "poll_seconds": TABLET_POLL_SECONDS,
    }
    if request.method != "POST":
        if attention is None:
            return render(request, "surveys/tablet_wait.html", context)
        return _tablet_form(request, context, attention, AnswerForm())
    raw = request.POST.get("attention", "")
    if attention is None or str(attention.pk) != raw:
        context["gone"] = _("Esta encuesta ya no está disponible en el módulo.")
        return render(request, "surveys/tablet_wait.html", context, status=410)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _tablet_form(request, context, attention, form, status=422)
    try:
        actions.answer_at_counter(counter, attention.pk, form.answers(), language=_ui_language())
    except Invalid as bad:
        return _tablet_form(request, context, attention, form, status=422, error=bad.message)
    except SurveyError as refused:
        context["gone"] = refused.message
        return render(request, "surveys/tablet_wait.html", context, status=refused.status)
    return redirect("surveys:tablet-thanks", counter_id=counter.pk)


@require_POST
def tablet_skip(request: HttpRequest, counter_id: int) -> HttpResponse:
    found = _tablet_counter(request, counter_id)
    if isinstance(found, HttpResponse):
        return found
    raw = request.POST.get("attention", "")
    # A survey already gone from the tablet: the waiting screen shows anyway.
    with contextlib.suppress(SurveyError):
        actions.dismiss_at_counter(found, parse_id(raw) or 0)
    return _next_citizen(redirect("surveys:tablet", counter_id=found.pk))


@never_cache
@require_safe
def tablet_current(request: HttpRequest, counter_id: int) -> HttpResponse:
    """204 while the survey on screen is still the counter's current one;
    otherwise tell htmx to reload the tablet page."""
    found = _tablet_counter(request, counter_id)
    if isinstance(found, HttpResponse):
        return found
    attention = actions.pending_at_counter(found, timezone.now())
    shown = request.GET.get("atencion", "")
    if attention is not None and str(attention.pk) == shown:
        return HttpResponse(status=204)
    # The citizen of the survey on screen is done with it.
    response = _next_citizen(HttpResponse(status=200))
    response["HX-Refresh"] = "true"
    return response


@never_cache
@require_safe
def tablet_thanks(request: HttpRequest, counter_id: int) -> HttpResponse:
    found = _tablet_counter(request, counter_id)
    if isinstance(found, HttpResponse):
        return found
    if request.headers.get("HX-Request"):
        # The page's timer: back to the tablet by a full load, so that the
        # whole page (<html lang>, the language buttons) is in the default
        # language again, not only the part htmx would swap.
        back = HttpResponse(status=200)
        back["HX-Redirect"] = reverse("surveys:tablet", args=[found.pk])
        return _next_citizen(back)
    context = {"counter": found, "center": found.center, "back_seconds": TABLET_THANKS_SECONDS}
    # Thanked in their language; whoever comes next starts in Spanish.
    return _next_citizen(render(request, "surveys/tablet_thanks.html", context))
