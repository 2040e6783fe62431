import pytest

from mac.core.testing import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()
