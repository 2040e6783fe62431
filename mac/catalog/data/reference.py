"""Categories, life events and UIT values."""

from __future__ import annotations

# (slug, name, description)
CATEGORIES: list[tuple[str, str, str]] = [
    ("identidad", "Identidad y estado civil", "DNI, actas de nacimiento, matrimonio y defunción."),
    ("tributos", "Tributos", "RUC, Clave SOL, declaraciones, impuestos y arbitrios."),
    ("transporte", "Transporte y vehículos", "Licencias de conducir, récord, papeletas y placas."),
    ("salud", "Salud", "Seguros de salud, afiliación, atención y reclamos."),
    (
        "trabajo-pensiones",
        "Trabajo y pensiones",
        "Empleo, derechos laborales, aportes y jubilación.",
    ),
    ("propiedad", "Propiedad y registros", "Partidas, certificados registrales e inscripciones."),
    ("migraciones", "Migraciones y viajes", "Pasaporte, carné de extranjería y permisos."),
    ("educacion", "Educación", "Certificados de estudios, grados, títulos y becas."),
    ("justicia", "Justicia y antecedentes", "Antecedentes, defensa pública y conciliación."),
    ("empresa", "Empresa y negocios", "Licencias, registros de proveedores y formalización."),
    (
        "programas-sociales",
        "Programas sociales",
        "Clasificación socioeconómica y pensiones sociales.",
    ),
    ("seguridad", "Seguridad", "Garantías personales, armas, denuncias y seguridad ciudadana."),
    ("consumidor", "Consumidor y reclamos", "Reclamos ante empresas y servicios públicos."),
    ("municipal", "Servicios municipales", "Trámites de la municipalidad de tu distrito."),
    ("pagos", "Pagos y banca", "Pago de tasas, cuentas y operaciones bancarias."),
    ("discapacidad", "Discapacidad e inclusión", "Certificados, carné y beneficios."),
]

LIFE_EVENTS: list[tuple[str, str, str]] = [
    ("tener-un-hijo", "Tener un hijo", "Inscribir al bebé, sacar su DNI y asegurarlo."),
    ("cumplir-18", "Cumplir 18 años", "Tu DNI de mayor de edad y tus primeros trámites."),
    ("viajar", "Viajar al extranjero", "Pasaporte, permisos de viaje y movimiento migratorio."),
    ("comprar-vehiculo", "Comprar un vehículo", "Transferencia, placas, brevete y SOAT."),
    ("abrir-negocio", "Abrir un negocio", "RUC, licencia de funcionamiento y registros."),
    ("jubilarme", "Jubilarme", "Aportes, pensión y trámites al dejar de trabajar."),
    ("casarme", "Casarme", "Matrimonio civil, actas y cambio de estado civil."),
    ("buscar-trabajo", "Buscar trabajo", "Certificados, antecedentes y bolsa de empleo."),
    ("comprar-vivienda", "Comprar una vivienda", "Búsqueda de propiedad, partidas y títulos."),
    ("fallecimiento", "Fallecimiento de un familiar", "Acta de defunción, sepelio y pensiones."),
    ("estudiar", "Estudiar", "Certificados, grados, títulos y becas."),
    ("perdi-documentos", "Perdí mis documentos", "Duplicados de DNI, pasaporte y licencias."),
]

# (year, value in soles, legal basis)
UIT_VALUES: list[tuple[int, str, str]] = [
    (2023, "4950.00", "D.S. 309-2022-EF"),
    (2024, "5150.00", "D.S. 309-2023-EF"),
    (2025, "5350.00", "D.S. 260-2024-EF"),
    (2026, "5500.00", "Valor ilustrativo para la demostración"),
]
