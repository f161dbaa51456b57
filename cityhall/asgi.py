"""One process for the embedded default: pages through the WSGI app, WebSockets through Channels.

Sync Django views under ASGI hop threads at every middleware (≈9× slower here), so HTTP requests
are handed whole to the WSGI application in a thread pool: one hop per request. In production
nginx sends pages to gunicorn and only /ws/ to this process.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings")

from django.core.asgi import get_asgi_application

django_asgi = get_asgi_application()  # sets Django up before the imports below

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from cityhall.realtime.send import RememberServerLoop  # noqa: E402
from cityhall.routing import websocket_urlpatterns  # noqa: E402
from cityhall.wsgi import application as wsgi_application  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": WSGIMiddleware(
            wsgi_application,  # type: ignore[arg-type]  # Django returns a response iterable
            workers=int(os.environ.get("WSGI_THREADS", "8")),
        ),
        "websocket": RememberServerLoop(
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
