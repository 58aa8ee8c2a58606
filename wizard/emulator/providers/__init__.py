"""One module per resource provider namespace; importing this package registers all their routes and
behaviours, so adding a namespace is adding a module here, with no list to update."""

import importlib
import pkgutil


def load_all() -> None:
    """Import every provider module (idempotent: Python imports each once)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
