"""The application's name and version. The version is read from package metadata only when asked for:
importlib.metadata costs about 20 ms, which start-up should not pay."""

from functools import cache

APP_NAME = "Integrationsmonitor"


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("integrationsmonitor")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "APP_VERSION":
        return _version()
    raise AttributeError(name)
