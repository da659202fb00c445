"""The package version, in one place (read by ``leannet.__version__``, the CLI's
``--version`` and every report's provenance)."""

__version__ = "0.1.0"
