"""The application's name and version, read from the installed package metadata."""

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "Integrationsmonitor"

try:
    APP_VERSION = version("integrationsmonitor")
except PackageNotFoundError:  # running from a source tree that was not installed
    APP_VERSION = "0.0.0+source"
