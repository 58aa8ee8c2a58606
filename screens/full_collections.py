"""Python's full garbage collections kept out of the wizard's screens, so that they never freeze.

The wizard imports the Azure SDKs into this process (azure-ai-ml alone brings a few hundred thousand objects),
and each full collection walks every object while it holds the GIL: measured at 0.1 to 0.8 s each, about a dozen
times in a demo run, each one a frozen screen and a key answered late. So while the app is up, only the young
generations are collected (short-lived cycles are still freed), and at calm moments (after the warm-up, at the
end of a run) what is left is frozen out of the collector's view with `gc.freeze`, CPython's tool for objects
that live as long as the process: modules, classes, functions. The price: cycles that outlive two young
collections and die later are never freed while the app is up (tens of thousands of objects, a few MB, in a
demo run); normal collection resumes when it exits.
"""

from __future__ import annotations

import gc

HELD = 1_000_000  # young collections before a full one: never, while the app is up
_normal: tuple[int, int, int] | None = None


def hold() -> None:
    global _normal
    if _normal is None:
        _normal = gc.get_threshold()
        gc.set_threshold(_normal[0], _normal[1], HELD)


def settle() -> None:
    """Free the young garbage, then take everything that is left out of later collections."""
    gc.collect(1)
    gc.freeze()


def release() -> None:
    global _normal
    if _normal is not None:
        gc.set_threshold(*_normal)
        gc.unfreeze()
        _normal = None
