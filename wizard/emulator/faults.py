"""The ways Azure and the network misbehave, as one table: each kind is an effect plus the ARM answer it gives.

A kind is data, not code: adding one is a row here. ``new_fault(kind=...)`` (the admin route and
``Emulator.inject_fault`` take the same) turns a row into a fault on chosen routes; the effect names what the
pipeline does with a matching request (see ``store.REQUEST_EFFECTS`` / ``OPERATION_EFFECTS``). ``transient`` says
whether a well-behaved client gets past it on its own (azure-core's retry policy, or one renewed token), which is
what the fault matrix holds the wizard to; the others need a user (or time) to lift them, then a resume.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FaultKind:
    name: str
    effect: str
    transient: bool
    status: int = 0
    code: str = ""
    message: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0


KINDS: dict[str, FaultKind] = {
    kind.name: kind
    for kind in (
        FaultKind(
            "throttled", "answer", True, 429, "TooManyRequests", "Too many requests; retry later.", {"Retry-After": "1"}
        ),
        FaultKind("internal_error", "answer", True, 500, "InternalServerError", "Encountered internal server error."),
        FaultKind(
            "unavailable",
            "answer",
            True,
            503,
            "ServiceUnavailable",
            "The service is unavailable now.",
            {"Retry-After": "1"},
        ),
        FaultKind("connection_reset", "reset", True),
        # Held back longer than the client's read timeout: the request is done, only its answer is late.
        FaultKind("slower_than_timeout", "slow", True, delay=2.5),
        FaultKind("token_expired", "expire", True),
        FaultKind(
            "subscription_write_throttle",
            "throttle",
            True,
            429,
            "SubscriptionRequestsThrottled",
            "Number of write requests for subscription exceeded the limit. Please try again after 1 seconds.",
            {"Retry-After": "1", "x-ms-ratelimit-remaining-subscription-writes": "0"},
        ),
        FaultKind(
            "operation_failed",
            "fail_later",
            False,
            500,
            "ProvisioningFailed",
            "The resource operation completed with terminal provisioning state 'Failed'.",
        ),
        FaultKind("operation_never_ends", "never_end", False),
        FaultKind(
            "policy_denied",
            "answer",
            False,
            403,
            "RequestDisallowedByPolicy",
            'Resource was disallowed by policy. Policy identifiers: \'[{"policyAssignment":{"name":"deny"}}]\'.',
        ),
        FaultKind(
            "quota_exceeded", "answer", False, 400, "QuotaExceeded", "Operation results in exceeding quota limits."
        ),
        FaultKind(
            "operation_not_allowed",
            "answer",
            False,
            409,
            "OperationNotAllowed",
            "Operation could not be completed as it results in exceeding approved Total Regional Cores quota.",
        ),
        FaultKind(
            "missing_registration",
            "answer",
            False,
            409,
            "MissingSubscriptionRegistration",
            "The subscription is not registered to use the namespace. See https://aka.ms/rps-not-found.",
        ),
        FaultKind(
            "authorization_failed",
            "answer",
            False,
            403,
            "AuthorizationFailed",
            "The client does not have authorization to perform this action over this scope.",
        ),
        FaultKind(
            "concurrent_writer",
            "answer",
            False,
            409,
            "Conflict",
            "Another operation is in progress on this resource; the request conflicts with it.",
        ),
    )
}
