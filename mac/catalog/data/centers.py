"""Centros MAC: 15 operating in 12 regions and 4 under implementation (policy brief, 2024).

Addresses of Lima Norte, Callao, Ventanilla and Arequipa come from public sources; the
others, every pair of coordinates (approximate) and the hours are illustrative.
"""

from __future__ import annotations

from typing import Any

OPERATING = "operating"
BUILDING = "under_implementation"

# Weekly hours: (weekday opens, weekday closes, saturday opens, saturday closes).
_STD = ("08:30", "18:30", "08:30", "13:30")

CENTERS: list[dict[str, Any]] = [
    {
        "slug": "lima-norte",
        "name": "Centro MAC Lima Norte",
        "region": "15",
        "ubigeo": "150110",
        "address": "Av. Los Ángeles 602, Mallplaza Comas, Comas",
        "reference": "Dentro del centro comercial, primer nivel",
        "lat": "-11.938600",
        "lon": "-77.059700",
        "opened_on": "2010-12-01",
        "hours": ("08:30", "19:00", "08:30", "14:00"),
    },
    {
        "slug": "lima-este",
        "name": "Centro MAC Lima Este",
        "region": "15",
        "ubigeo": "150137",
        "address": "Carretera Central 111, Centro Comercial Mall Aventura Santa Anita, Santa Anita",
        "reference": "Frente al patio de comidas",
        "lat": "-12.056300",
        "lon": "-76.970900",
        "hours": ("08:30", "18:30", "08:30", "13:30"),
    },
    {
        "slug": "lima-sur",
        "name": "Centro MAC Lima Sur",
        "region": "15",
        "ubigeo": "150108",
        "address": "Av. Prolongación Paseo de la República s/n, Centro Comercial Plaza Lima Sur, "
        "Chorrillos",
        "reference": "Cerca de la estación Matellini del Metropolitano",
        "lat": "-12.177900",
        "lon": "-77.012800",
        "hours": _STD,
    },
    {
        "slug": "callao",
        "name": "Centro MAC Callao",
        "region": "07",
        "ubigeo": "070102",
        "address": "Av. Óscar R. Benavides 3866, Mallplaza Bellavista, Bellavista",
        "reference": "Segundo nivel del centro comercial",
        "lat": "-12.056800",
        "lon": "-77.101600",
        "hours": ("09:00", "19:00", "09:00", "14:00"),
    },
    {
        "slug": "ventanilla",
        "name": "Centro MAC Ventanilla",
        "region": "07",
        "ubigeo": "070106",
        "address": "Av. La Playa s/n, Ventanilla",
        "reference": "Junto a la Municipalidad Distrital de Ventanilla",
        "lat": "-11.875400",
        "lon": "-77.127100",
        "opened_on": "2014-06-01",
        "hours": ("08:00", "17:00", "08:00", "13:00"),
    },
    {
        "slug": "arequipa",
        "name": "Centro MAC Arequipa",
        "region": "04",
        "ubigeo": "040112",
        "address": "Av. Porongoche 500, Centro Comercial Mall Aventura Porongoche, Paucarpata",
        "reference": "Nivel de estacionamientos, ingreso por Av. Porongoche",
        "lat": "-16.418900",
        "lon": "-71.516300",
        "opened_on": "2018-03-01",
        "hours": ("08:30", "18:30", "08:30", "14:00"),
    },
    {
        "slug": "piura",
        "name": "Centro MAC Piura",
        "region": "20",
        "ubigeo": "200101",
        "address": "Av. Sánchez Cerro 234, Centro Comercial Real Plaza, Piura",
        "reference": "Primer nivel, junto a la zona de bancos",
        "lat": "-5.186100",
        "lon": "-80.638600",
        "hours": ("08:00", "17:30", "08:00", "13:00"),
    },
    {
        "slug": "cajamarca",
        "name": "Centro MAC Cajamarca",
        "region": "06",
        "ubigeo": "060101",
        "address": "Jr. Sor Manuela Gil 151, Centro Comercial El Quinde, Cajamarca",
        "reference": "Tercer nivel",
        "lat": "-7.167800",
        "lon": "-78.502300",
        "hours": ("08:30", "17:30", "08:30", "13:00"),
    },
    {
        "slug": "loreto",
        "name": "Centro MAC Loreto",
        "region": "16",
        "ubigeo": "160101",
        "address": "Jr. Próspero 350, Iquitos",
        "reference": "A dos cuadras de la Plaza de Armas",
        "lat": "-3.750900",
        "lon": "-73.245300",
        "hours": ("08:00", "17:00", "08:00", "12:30"),
    },
    {
        "slug": "huanuco",
        "name": "Centro MAC Huánuco",
        "region": "10",
        "ubigeo": "100101",
        "address": "Jr. Huallayco 1038, Centro Comercial Real Plaza, Huánuco",
        "reference": "Primer nivel del centro comercial",
        "lat": "-9.929700",
        "lon": "-76.240100",
        "hours": ("08:30", "17:30", "08:30", "13:00"),
    },
    {
        "slug": "moquegua",
        "name": "Centro MAC Moquegua",
        "region": "18",
        "ubigeo": "180101",
        "address": "Av. Andrés Avelino Cáceres s/n, Centro Comercial Plaza Center, Moquegua",
        "reference": "Segundo nivel del Plaza Center",
        "lat": "-17.194900",
        "lon": "-70.934400",
        "hours": ("08:00", "16:45", "08:00", "13:00"),
    },
    {
        "slug": "junin",
        "name": "Centro MAC Junín",
        "region": "12",
        "ubigeo": "120101",
        "address": "Av. Ferrocarril 1035, Centro Comercial Real Plaza, Huancayo",
        "reference": "Primer nivel, ingreso por Av. Ferrocarril",
        "lat": "-12.066700",
        "lon": "-75.209300",
        "hours": ("08:30", "18:00", "08:30", "13:30"),
    },
    {
        "slug": "cusco",
        "name": "Centro MAC Cusco",
        "region": "08",
        "ubigeo": "080108",
        "address": "Av. de la Cultura 732, Wanchaq, Cusco",
        "reference": "Frente a la Universidad Nacional San Antonio Abad",
        "lat": "-13.522800",
        "lon": "-71.958600",
        "hours": ("08:00", "17:30", "08:30", "13:00"),
    },
    {
        "slug": "chimbote",
        "name": "Centro MAC Chimbote",
        "region": "02",
        "ubigeo": "021801",
        "address": "Av. José Pardo 1020, Chimbote",
        "reference": "Cerca del mercado Modelo",
        "lat": "-9.075300",
        "lon": "-78.591700",
        "hours": ("08:30", "17:30", "08:30", "13:00"),
    },
    {
        "slug": "juliaca",
        "name": "Centro MAC Juliaca",
        "region": "21",
        "ubigeo": "211101",
        "address": "Jr. Tumbes 391, Centro Comercial Real Plaza, Juliaca",
        "reference": "Primer nivel",
        "lat": "-15.496800",
        "lon": "-70.133500",
        "hours": ("08:00", "17:00", "08:00", "13:00"),
    },
    # Under implementation: no windows and no offers yet.
    {
        "slug": "ica",
        "name": "Centro MAC Ica",
        "region": "11",
        "ubigeo": "110101",
        "address": "Av. San Martín 727, Ica",
        "lat": "-14.067500",
        "lon": "-75.728600",
        "status": BUILDING,
        "hours": _STD,
    },
    {
        "slug": "ayacucho",
        "name": "Centro MAC Ayacucho",
        "region": "05",
        "ubigeo": "050101",
        "address": "Jr. Lima 212, Ayacucho",
        "lat": "-13.160300",
        "lon": "-74.224700",
        "status": BUILDING,
        "hours": _STD,
    },
    {
        "slug": "trujillo",
        "name": "Centro MAC Trujillo",
        "region": "13",
        "ubigeo": "130101",
        "address": "Av. América Oeste 750, Trujillo",
        "lat": "-8.111800",
        "lon": "-79.028700",
        "status": BUILDING,
        "hours": _STD,
    },
    {
        "slug": "tarapoto",
        "name": "Centro MAC Tarapoto",
        "region": "22",
        "ubigeo": "220901",
        "address": "Jr. Ramón Castilla 300, Tarapoto",
        "lat": "-6.487800",
        "lon": "-76.360900",
        "status": BUILDING,
        "hours": _STD,
    },
]

OPERATING_SLUGS: tuple[str, ...] = tuple(
    c["slug"] for c in CENTERS if c.get("status", OPERATING) == OPERATING
)
LIMA_CALLAO: tuple[str, ...] = ("lima-norte", "lima-este", "lima-sur", "callao", "ventanilla")

# Days with other hours or closed, on top of the weekly schedule.
_CHRISTMAS_EVE = ("2026-12-24", False, "08:30", "13:00", "Víspera de Navidad: horario reducido")
_NEW_YEAR_EVE = ("2026-12-31", False, "08:30", "13:00", "Fin de año: horario reducido")
EXCEPTIONS: dict[str, list[tuple[str, bool, str, str, str]]] = {
    slug: [_CHRISTMAS_EVE, _NEW_YEAR_EVE] for slug in OPERATING_SLUGS
}
_CLOSED_DAYS = {
    "lima-norte": ("2027-01-16", "Mantenimiento eléctrico del centro comercial"),
    "lima-este": ("2027-02-06", "Fumigación y limpieza general del local"),
    "lima-sur": ("2027-01-23", "Cambio del sistema de colas y pantallas"),
    "callao": ("2027-02-13", "Jornada de capacitación del personal"),
    "ventanilla": ("2027-01-30", "Obras en la Av. La Playa: acceso cerrado"),
    "arequipa": ("2027-03-06", "Simulacro regional de sismo y revisión de la infraestructura"),
    "piura": ("2027-02-20", "Mantenimiento del aire acondicionado"),
    "cajamarca": ("2027-02-08", "Carnaval de Cajamarca: día no laborable regional"),
    "loreto": ("2027-01-09", "Corte programado de energía en Iquitos"),
    "huanuco": ("2027-02-27", "Fumigación y limpieza general del local"),
    "moquegua": ("2027-01-16", "Inventario anual del centro comercial"),
    "junin": ("2027-03-13", "Jornada de capacitación del personal"),
    "cusco": ("2027-06-24", "Inti Raymi: día festivo en la región Cusco"),
    "chimbote": ("2027-02-13", "Mantenimiento eléctrico del local"),
    "juliaca": ("2027-02-03", "Fiesta de la Virgen de la Candelaria: día no laborable regional"),
}
for _slug, (_date, _reason) in _CLOSED_DAYS.items():
    EXCEPTIONS[_slug].append((_date, True, "", "", _reason))
