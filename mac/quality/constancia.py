"""The constancia: the citizen's copy of the claim as a PDF (WeasyPrint),
with the code, the date, the deadline, the entity, the facts and the
request. Rendered from a Django template, so everything the citizen typed
is escaped; WeasyPrint fetches nothing from outside (only data: URLs)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from mac.quality import notices
from mac.quality.models import Complaint


def context(complaint: Complaint, language: str | None = None) -> dict[str, Any]:
    language = language or complaint.language
    return {
        "complaint": complaint,
        "filed_at": notices.moment_text(complaint.filed_at, language),
        "due_date": notices.day_text(complaint.due_date, language),
        "attachments": list(complaint.attachments.all()),
        "track_url": notices.track_url(complaint.code),
    }


def constancia_html(complaint: Complaint, language: str | None = None) -> str:
    language = language or complaint.language
    with translation.override(language):
        return render_to_string("quality/constancia.html", context(complaint, language))


def _fetcher() -> Any:
    """Only data: URLs (embedded images); never the network or the disk."""
    import weasyprint

    if hasattr(weasyprint, "URLFetcher"):
        return weasyprint.URLFetcher(allowed_protocols={"data"})

    def refuse(url: str, *args: Any, **kwargs: Any) -> Any:
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)  # type: ignore[attr-defined]
        raise ValueError(f"constancia: no external resources ({url[:40]})")

    return refuse


def constancia_pdf(complaint: Complaint, language: str | None = None) -> bytes:
    import weasyprint

    html = constancia_html(complaint, language)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=_fetcher()).write_pdf()
    return pdf


def filename(complaint: Complaint) -> str:
    return f"constancia-{complaint.code}.pdf"
