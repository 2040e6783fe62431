"""The JSON API under /api/v1/; each app contributes its router."""

from ninja import NinjaAPI

from mac.catalog.api import router as catalog_router
from mac.centers.api import router as centers_router

api = NinjaAPI(
    title="Plataforma MAC API",
    version="1",
    description="API pública y de canales de la Plataforma MAC.",
    urls_namespace="api",
)
api.add_router("", catalog_router)
api.add_router("", centers_router)
