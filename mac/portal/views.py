"""Public pages of the Portal MAC: home, search, service and center pages.

Views are thin: they clean the request, call `queries` and the search engine,
and hand plain values to the templates. Money, percentages and coordinates are
formatted here so that they read the same in every language (Peru writes
"S/ 1,234.50"), instead of following the active locale's number format."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from mac.appointments import queries as appointments
from mac.catalog.models import UIT, Category, Channel, Entity, Service, ServiceChannel
from mac.catalog.search import SearchResults, search_services
from mac.centers.models import Center, OpeningException, OpeningHours
from mac.core.calendar import today_lima
from mac.core.dates import spelled_here
from mac.portal import queries

ALO_MAC_PHONE = "1800"
INFO_EMAIL = "infomac@pcm.gob.pe"
# Filter values are short codes; anything longer is not one of ours.
MAX_FILTER_LENGTH = 80
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CHANNEL_ORDER = [value for value, _label in Channel.choices]
SCHEMA_DAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]


# -- formatting helpers ------------------------------------------------------


def clean_text(value: str | None, max_length: int) -> str:
    """User text made safe to search with: control characters (NUL included)
    become spaces, runs of whitespace collapse, and it is cut to `max_length`."""
    text = CONTROL_CHARS.sub(" ", value or "")
    return " ".join(text.split())[:max_length].strip()


def format_soles(amount: Decimal) -> str:
    return f"S/ {amount:,.2f}"


def format_percent(value: Decimal) -> str:
    return f"{value:,.2f} %"


def format_coordinate(value: Decimal) -> str:
    return f"{value:.6f}"


def json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, with <, > and &
    escaped so that no value can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


# -- home --------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    categories = queries.categories_with_services()
    context = {
        "life_events": [c for c in categories if c.kind == Category.Kind.LIFE_EVENT],
        "categories": [c for c in categories if c.kind == Category.Kind.CATEGORY],
        "center_count": queries.operating_center_count(),
        "max_query": settings.SEARCH_MAX_QUERY,
    }
    return render(request, "portal/home.html", context)


# -- search ------------------------------------------------------------------


@dataclass
class SearchFilters:
    """The filters of a search, each one checked against the known values:
    an unknown value is dropped and reported, never sent to the engine."""

    entity: str = ""
    center: str = ""
    channel: str = ""
    category: Category | None = None
    ignored: list[str] = field(default_factory=list)

    def as_params(self) -> dict[str, str]:
        params = {
            "entidad": self.entity,
            "centro": self.center,
            "canal": self.channel,
            "tema": self.category.slug if self.category else "",
        }
        return {k: v for k, v in params.items() if v}


def _pick(raw: str | None, known: dict[str, str], name: str, ignored: list[str]) -> str:
    value = clean_text(raw, MAX_FILTER_LENGTH).lower()
    if not value:
        return ""
    if value not in known:
        ignored.append(name)
        return ""
    return known[value]


def _read_filters(
    request: HttpRequest,
    entities: list[Entity],
    centers: list[Center],
    categories: list[Category],
) -> SearchFilters:
    ignored: list[str] = []
    entity = _pick(
        request.GET.get("entidad"),
        {e.acronym.lower(): e.acronym for e in entities},
        "entidad",
        ignored,
    )
    center = _pick(request.GET.get("centro"), {c.slug: c.slug for c in centers}, "centro", ignored)
    channel = _pick(request.GET.get("canal"), {v: v for v in CHANNEL_ORDER}, "canal", ignored)
    by_slug = {c.slug: c for c in categories}
    category_slug = _pick(request.GET.get("tema"), {s: s for s in by_slug}, "tema", ignored)
    return SearchFilters(
        entity=entity,
        center=center,
        channel=channel,
        category=by_slug.get(category_slug),
        ignored=ignored,
    )


@dataclass
class ResultRow:
    service: Service
    fee: str


def _result_row(service: Service) -> ResultRow:
    fee = "" if service.is_free else format_soles(service.fee)  # type: ignore[arg-type]
    return ResultRow(service=service, fee=fee)


def _only_in(found: Sequence[Service], allowed: set[int]) -> Sequence[Service]:
    """The results whose id is in `allowed`, in the same order, without loading
    the services that the page will not show."""
    if isinstance(found, SearchResults):
        return SearchResults([pk for pk in found.ids if pk in allowed])
    return [s for s in found if s.pk in allowed]


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = clean_text(request.GET.get("q"), settings.SEARCH_MAX_QUERY)
    entities = queries.filter_entities()
    centers = queries.filter_centers()
    categories = queries.categories_with_services()
    filters = _read_filters(request, entities, centers, categories)

    found: Sequence[Service] = search_services(
        query,
        entity=filters.entity or None,
        center=filters.center or None,
        channel=filters.channel or None,
    )
    if filters.category is not None:
        found = _only_in(found, queries.service_ids_in_category(filters.category))

    page = Paginator(found, settings.SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_result_row(s) for s in page.object_list]
    params = {"q": query, **filters.as_params()} if query else filters.as_params()

    def page_url(number: int) -> str:
        return "?" + urlencode({**params, "page": number})

    this_page = {**params, "page": page.number} if page.number > 1 else params

    context = {
        "query": query,
        "filters": filters,
        "entities": entities,
        "centers": centers,
        "channels": queries.filter_channels(),
        "categories": categories,
        "page": page,
        "rows": rows,
        "total": page.paginator.count,
        "previous_url": page_url(page.previous_page_number()) if page.has_previous() else "",
        "next_url": page_url(page.next_page_number()) if page.has_next() else "",
        "without_filters_url": "?" + urlencode({"q": query}) if filters.as_params() else "",
        "max_query": settings.SEARCH_MAX_QUERY,
        "illustrative": any(r.service.is_illustrative for r in rows),
        # The language switch returns here with the cleaned query, not the raw one.
        "language_next": request.path + ("?" + urlencode(this_page) if this_page else ""),
    }
    return render(request, "portal/search.html", context)


# -- service -----------------------------------------------------------------


def _sorted_channels(service: Service) -> list[ServiceChannel]:
    return sorted(service.channels.all(), key=lambda c: CHANNEL_ORDER.index(c.channel))


def service_json_ld(
    request: HttpRequest, service: Service, channels: list[ServiceChannel]
) -> dict[str, Any]:
    """schema.org GovernmentService for a service page."""
    available: list[dict[str, Any]] = []
    for channel in channels:
        entry: dict[str, Any] = {
            "@type": "ServiceChannel",
            "name": str(channel.get_channel_display()),
        }
        if channel.channel == Channel.CENTER:
            entry["serviceLocation"] = [
                {
                    "@type": "GovernmentOffice",
                    "name": offer.center.name,
                    "url": request.build_absolute_uri(offer.center.get_absolute_url()),
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": offer.center.address,
                        "addressLocality": offer.center.ubigeo.name,
                        "addressRegion": offer.center.region.name,
                        "addressCountry": "PE",
                    },
                }
                for offer in service.active_offers  # type: ignore[attr-defined]
            ]
        elif channel.channel == Channel.PHONE:
            entry["servicePhone"] = {"@type": "ContactPoint", "telephone": ALO_MAC_PHONE}
        elif channel.channel == Channel.ONLINE:
            entry["serviceUrl"] = channel.url
        if channel.url and "serviceUrl" not in entry:
            entry["serviceUrl"] = channel.url
        available.append(entry)
    categories = [c.name for c in service.categories.all()]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": service.plain_name,
        "alternateName": service.name,
        "description": service.description or service.name,
        "serviceType": categories[0] if categories else str(service.get_qualification_display()),
        "url": request.build_absolute_uri(service.get_absolute_url()),
        "provider": {
            "@type": "GovernmentOrganization",
            "name": service.entity.name,
            "alternateName": service.entity.acronym,
        },
        "areaServed": {"@type": "Country", "name": "Perú"},
        "availableChannel": available,
        "offers": {
            "@type": "Offer",
            "price": f"{service.fee or Decimal('0'):.2f}",
            "priceCurrency": "PEN",
        },
    }
    if service.entity.website:
        data["provider"]["url"] = service.entity.website
    return data


@require_safe
def service(request: HttpRequest, slug: str) -> HttpResponse:
    service = queries.get_published_service(slug)
    year = today_lima().year
    uit = UIT.for_year(year)
    percent = service.fee_uit_percent(year, uit=uit) if uit else None
    channels = _sorted_channels(service)
    context = {
        "service": service,
        "requirements": list(service.requirements.all()),
        "channels": channels,
        "offers": service.active_offers,  # type: ignore[attr-defined]
        "fee": "" if service.is_free else format_soles(service.fee),  # type: ignore[arg-type]
        "fee_percent": format_percent(percent) if percent is not None and uit else "",
        "uit": uit,
        "uit_value": format_html('<span class="nowrap">{}</span>', format_soles(uit.value))
        if uit
        else "",
        "alo_mac_phone": ALO_MAC_PHONE,
        "json_ld": json_ld(service_json_ld(request, service, channels)),
        "illustrative": service.is_illustrative or service.entity.is_illustrative,
        "booking_url": _booking_url(service) if appointments.service_has_agenda(service) else "",
    }
    return render(request, "portal/service.html", context)


def _booking_url(service: Service, center: Center | None = None) -> str:
    """The appointment pages (mac/appointments) for this service."""
    params = {"servicio": service.pk, **({"centro": center.slug} if center else {})}
    return reverse("appointments:start") + "?" + urlencode(params)


# -- centers -----------------------------------------------------------------


@dataclass
class CenterRow:
    center: Center
    open_now: bool


@require_safe
def centers(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    listed = list(queries.listed_centers(today_lima(now)))
    operating = [
        CenterRow(center=c, open_now=c.is_open_at(now))
        for c in listed
        if c.status == Center.Status.OPERATING
    ]
    context = {
        "operating": operating,
        "upcoming": [c for c in listed if c.status == Center.Status.UNDER_IMPLEMENTATION],
        "illustrative": any(c.is_illustrative for c in listed),
    }
    return render(request, "portal/centers.html", context)


@dataclass
class DayHours:
    label: str
    periods: list[OpeningHours]
    is_today: bool


def _weekly_hours(center: Center, today: dt.date) -> list[DayHours]:
    hours = list(center.hours.all())
    return [
        DayHours(
            label=str(label),
            periods=[h for h in hours if h.weekday == weekday],
            is_today=weekday == today.weekday(),
        )
        for weekday, label in OpeningHours.Weekday.choices
    ]


# Holidays and declared non-working days shown among the upcoming changes.
DAYS_OFF_AHEAD = 7


@dataclass
class HoursChange:
    """A day whose hours differ from the week's: an exception of the center,
    or a holiday or declared non-working day it closes on."""

    date: dt.date
    closed: bool
    opens: dt.time | None
    closes: dt.time | None
    reason: str

    @property
    def label(self) -> str:
        """ "martes 8 de diciembre", in the page's language."""
        return spelled_here(self.date, weekday=True, year=False)


def _upcoming_changes(
    center: Center, exceptions: list[OpeningException], today: dt.date
) -> list[HoursChange]:
    changes = [HoursChange(e.date, e.closed, e.opens, e.closes, e.reason) for e in exceptions]
    if center.status == Center.Status.OPERATING:
        for n in range(DAYS_OFF_AHEAD):
            day = today + dt.timedelta(days=n)
            off = center.day_off(day)
            if off is not None:
                changes.append(HoursChange(day, True, None, None, off.name))
    return sorted(changes, key=lambda c: c.date)


def _services_by_entity(center: Center) -> list[tuple[Entity, list[Service]]]:
    """The center's services by entity; each with `booking_url` when the
    center gives appointments for it."""
    offers = center.active_offers  # type: ignore[attr-defined]
    booked = appointments.services_booked_at(center)
    services = [offer.service for offer in offers]
    for service in services:
        service.booking_url = _booking_url(service, center) if service.pk in booked else ""  # type: ignore[attr-defined]
    return [(entity, list(group)) for entity, group in groupby(services, key=lambda s: s.entity)]


def center_json_ld(
    request: HttpRequest, center: Center, changes: list[HoursChange]
) -> dict[str, Any]:
    """schema.org GovernmentOffice for a center page. Its hours are the ones
    the page shows: the week's and the upcoming changes (exceptions, holidays
    and declared non-working days); a center that does not serve the public
    (under implementation, closed) states no hours at all."""
    serves = center.status == Center.Status.OPERATING
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": center.name,
        "url": request.build_absolute_uri(center.get_absolute_url()),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": center.address,
            "addressLocality": center.ubigeo.name,
            "addressRegion": center.region.name,
            "addressCountry": "PE",
        },
        "openingHoursSpecification": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[h.weekday]}",
                "opens": f"{h.opens:%H:%M}",
                "closes": f"{h.closes:%H:%M}",
            }
            for h in center.hours.all()
        ],
        "telephone": center.phone or ALO_MAC_PHONE,
        "email": center.email or INFO_EMAIL,
        "parentOrganization": {
            "@type": "GovernmentOrganization",
            "name": "Presidencia del Consejo de Ministros",
        },
    }
    if center.latitude is not None and center.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(center.latitude),
            "longitude": float(center.longitude),
        }
    if not serves:
        del data["openingHoursSpecification"]
    elif changes:
        data["specialOpeningHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": change.date.isoformat(),
                "validThrough": change.date.isoformat(),
                # schema.org writes "closed all day" as opens = closes = 00:00.
                "opens": "00:00" if change.closed else f"{change.opens:%H:%M}",
                "closes": "00:00" if change.closed else f"{change.closes:%H:%M}",
            }
            for change in changes
        ]
    return data


def _map_url(center: Center) -> str:
    if center.latitude is None or center.longitude is None:
        return ""
    lat, lon = format_coordinate(center.latitude), format_coordinate(center.longitude)
    return (
        "https://www.openstreetmap.org/?"
        + urlencode({"mlat": lat, "mlon": lon})
        + f"#map=17/{lat}/{lon}"
    )


@require_safe
def center(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    today = today_lima(now)
    center = queries.get_center(slug, today)
    exceptions = list(center.exceptions.all())[:10]
    changes = _upcoming_changes(center, exceptions, today)
    has_coordinates = center.latitude is not None and center.longitude is not None
    context = {
        "center": center,
        "district": center.ubigeo,
        "province": center.ubigeo.province,
        "department": center.ubigeo.province.department,
        "open_now": center.is_open_at(now),
        "today": today,
        "week": _weekly_hours(center, today),
        "changes": changes,
        "services_by_entity": _services_by_entity(center),
        "latitude": format_coordinate(center.latitude) if has_coordinates else "",  # type: ignore[arg-type]
        "longitude": format_coordinate(center.longitude) if has_coordinates else "",  # type: ignore[arg-type]
        "map_url": _map_url(center),
        "alo_mac_phone": ALO_MAC_PHONE,
        "info_email": INFO_EMAIL,
        "json_ld": json_ld(center_json_ld(request, center, changes)),
        "illustrative": center.is_illustrative,
        "search_url": reverse("portal:search") + "?" + urlencode({"centro": center.slug}),
    }
    return render(request, "portal/center.html", context)
