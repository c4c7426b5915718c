"""The studio's service: the REST API of spec §5 (FastAPI), token auth, the job queue, metrics, safe exposure.

    from aurora.server import ServerSettings, StudioService, create_app
    service = StudioService.create(ServerSettings.from_env())
    app = create_app(service, blocks=build_app(service.aurora))   # uvicorn.run(app)
"""

from aurora.server.app import create_app
from aurora.server.guard import BROWSER_COOKIE
from aurora.server.service import StudioService
from aurora.server.settings import ServerSettings

__all__ = ["BROWSER_COOKIE", "ServerSettings", "StudioService", "create_app"]
