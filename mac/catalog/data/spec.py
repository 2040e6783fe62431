"""The shapes of the demo data: an entity (`E`), a service (`S`) and a requirement (`R`)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Qualification shorthands used by the data files.
AUTO = "A"  # aprobación automática
PRIOR_POS = "P+"  # evaluación previa con silencio positivo
PRIOR_NEG = "P-"  # evaluación previa con silencio negativo
SERVICE = "S"  # servicio prestado en exclusividad


@dataclass(frozen=True)
class R:
    """A requirement with notes or a form; a bare string is a requirement too."""

    text: str
    notes: str = ""
    form_name: str = ""
    form_url: str = ""


Requirement = str | R


@dataclass(frozen=True)
class S:
    """A service (TUPA procedure). `key` becomes the code after the entity acronym."""

    key: str
    name: str
    plain: str
    description: str
    requirements: tuple[Requirement, ...]
    q: str = AUTO
    fee: str | None = None
    fee_notes: str = ""
    days: int | None = None
    channels: str = "center phone"
    categories: tuple[str, ...] = ()
    keywords: str = ""
    appointment: bool = False
    unit: str = ""
    basis: str = ""
    url: str = ""
    # Core services are offered at every center where the entity has windows;
    # the rest only at some of them.
    core: bool = True
    illustrative: bool = True


@dataclass(frozen=True)
class E:
    """A participating entity and the defaults its services inherit."""

    acronym: str
    name: str
    slug: str
    level: str
    sector: str
    adhesion: str | None
    website: str
    unit: str
    basis: str
    centers: tuple[str, ...]
    recon: str = ""
    appeal: str = ""
    online: str = ""
    illustrative: bool = True
    services: list[S] = field(default_factory=list, compare=False)


# Requirements many procedures share.
DNI = "Documento de identidad vigente del solicitante (DNI, carné de extranjería o pasaporte)."
DNI_ONLY = "DNI vigente del titular."
PAYMENT = R(
    "Pago del derecho de tramitación.",
    "Puede pagarse en el Banco de la Nación, en la agencia de la entidad o en línea.",
)
POWER = R(
    "Si actúa un representante: carta poder simple o poder inscrito, según el caso.",
    "Presentar también el documento de identidad del representante.",
)
FORM_REQUEST = "Solicitud dirigida a la entidad, con nombre, documento, domicilio y lo que se pide."
