"""Plataforma MAC: the software behind Peru's Mejor Atención al Ciudadano."""
