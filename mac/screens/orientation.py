"""The orientation screen (being built)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
