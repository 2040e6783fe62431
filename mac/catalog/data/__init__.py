"""Demo data of the Plataforma MAC catalog, loaded by `mac seed` (see mac/catalog/seed.py).

Figures follow the 2024 policy brief (15 operating centers, 48 entities, about 412
services). Rows marked `illustrative` hold invented requirements, fees, deadlines,
addresses or hours: they look like the real ones but are not copied from a TUPA.
"""
