"""A real WebDAV server (wsgidav) on 127.0.0.1 for the transport and import tests; nothing leaves the machine."""

import threading

import pytest
from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER, PASSWORD = "integration", "Stadt-2024!"


@pytest.fixture(scope="session")
def dav_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("webdav")
    app = WsgiDAVApp({
        "provider_mapping": {"/dav": str(root)},
        "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
        "http_authenticator": {"accept_basic": True, "accept_digest": False, "default_to_digest": False},
        "dir_browser": {"enable": False},
        "verbose": 1,
        "logging": {"enable": False},
    })

    def share_moved(environ, start_response):
        # The town's IT moved the share: the old address answers with a redirect on the same server.
        path = environ["PATH_INFO"]
        if path.startswith("/umgezogen/"):
            start_response("301 Moved Permanently", [("Location", "/dav/" + path.removeprefix("/umgezogen/")),
                                                     ("Content-Length", "0")])
            return [b""]
        return app(environ, start_response)

    server = wsgi.Server(("127.0.0.1", 0), share_moved)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.bind_addr[1]}/dav/"
    server.stop()
    thread.join(timeout=5)


