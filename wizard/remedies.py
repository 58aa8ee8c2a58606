"""Failures that a changed answer fixes, and which answers: both faces offer to edit them and resume.

Only answers a resume can honour are offered (not `session.IDENTITY_FIELDS`: those make another setup).
"""

from __future__ import annotations

ANSWERS_THAT_FIX: dict[str, tuple[str, ...]] = {
    "CallerIpUnknown": ("allowed_source_ip",),
    "SkuNotAvailable": ("vm_size",),
    "QuotaExceeded": ("vm_size",),
    "AllocationFailed": ("vm_size",),
    "ZonalAllocationFailed": ("vm_size",),
    "OverconstrainedAllocationRequest": ("vm_size",),
    "InvalidAdminUsername": ("admin_username",),
}

# What each face calls these answers.
LABELS = {
    "allowed_source_ip": "Connect from",
    "vm_size": "VM size",
    "admin_username": "Admin user",
}


def answers_to_change(code: str) -> tuple[str, ...]:
    """The answers whose new value can make a failed step with this error code succeed on a resume."""
    return ANSWERS_THAT_FIX.get(code, ())
