"""The orchestrator: configuration, the store, the pipeline stages, the report and the CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reviewwacht")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0"
