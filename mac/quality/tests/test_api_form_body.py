"""An anonymous client that files a claim as a form, not JSON, gets a 415
and nothing is written, proof of work or not: the NUL guard had parsed the
multipart form, and the API could no longer read the body (a 500)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from .test_api_pow import NOTHING, body, guarded, solved, written

__all__ = ["guarded"]
pytestmark = pytest.mark.django_db
NOT_JSON = {
    "detail": "La API recibe JSON: envía el cuerpo con Content-Type: application/json.",
    "code": "unsupported_media_type",
}


class TestComplaintAsAForm:
    def test_an_empty_multipart_form_is_refused(self, client: Client, guarded: Any) -> None:
        response = client.post("/api/v1/complaints", {})  # the test client's multipart, no part

        assert (response.status_code, response.json()) == (415, NOT_JSON)
        assert written(guarded) == NOTHING

    def test_a_multipart_claim_with_its_proof_is_refused(
        self, client: Client, guarded: Any
    ) -> None:
        fields = {k: v for k, v in body(guarded).items() if not isinstance(v, bool)}

        response = client.post("/api/v1/complaints", fields, HTTP_X_PROOF_OF_WORK=solved(client))

        assert (response.status_code, response.json()) == (415, NOT_JSON)
        assert written(guarded) == NOTHING
