"""Per-resource-type behaviour: how a type answers writes, how long it takes, what it fills in, what it can do.

The generic resource store (``arm.py``) does the ARM plumbing for every type; a behaviour only states what
differs. A new type is one small subclass in its namespace's module under ``providers/``::

    @register
    class Vault(Behaviour):
        type = "Microsoft.KeyVault/vaults"
        on_create = CREATED_ASYNC      # 201 + Azure-AsyncOperation
        latency = 8.0                  # seconds before Succeeded, times the latency scale

Types without a behaviour get ``Behaviour()`` itself: synchronous 201/200, body echoed, Succeeded at once.

Every type served (with or without a behaviour, and the collection an ``@action`` sits on) must be declared in
``catalogue.py`` with its api-versions: the catalogue is the single table requests are checked against, and an
undeclared type is refused with InvalidResourceType before any behaviour runs. A POST/GET on a sub-path that no
``@action`` declares is refused the same way, never stored.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from wizard.emulator.address import Address
from wizard.emulator.wire import ArmError, Reply, Request

if TYPE_CHECKING:
    from wizard.emulator.context import Ctx
    from wizard.emulator.store import Row, Store


@dataclass(frozen=True)
class Answer:
    """How a write is answered: status, whether the body carries the resource, which monitor header makes it
    a long-running operation ("" synchronous, "location", "azure-async" or "both"; "body" for none, the client
    polling the resource's provisioningState itself), and what a Location monitor answers once the operation has
    succeeded."""

    status: int
    body: bool = True
    monitor: str = ""
    done: int = 200


SYNC_CREATED = Answer(201)  # resource groups, most proxy resources
SYNC_OK = Answer(200)  # Data Factory: 200 only, even on create
ACCEPTED_LOCATION = Answer(202, body=False, monitor="location")  # storage accounts, ML workspaces
CREATED_ASYNC = Answer(201, monitor="azure-async")  # VMs, networks, ML computes
OK_ASYNC = Answer(200, monitor="azure-async")  # their updates
CREATED_POLL_BODY = Answer(201, monitor="body")  # Log Analytics workspaces: 201 while still Creating
OK_POLL_BODY = Answer(200, monitor="body")
DELETED = Answer(200, body=False)
DELETE_ACCEPTED = Answer(202, body=False, monitor="location", done=204)
DELETE_ACCEPTED_ASYNC = Answer(202, body=False, monitor="both", done=204)


@dataclass
class Put:
    """A PUT (or PATCH) being applied: hooks read the request and fill in ``resource``."""

    address: Address
    request: dict[str, Any]  # the body the client sent (merged with the stored one for PATCH)
    resource: dict[str, Any]  # the envelope to store; hooks add defaults to it
    existing: dict[str, Any] | None  # the envelope before this write, None on create
    private: dict[str, Any]  # behaviour state kept out of the envelope, carried across writes
    taken: Callable[[str, str], bool]  # taken(type, name): does any resource of that type have that name?
    now: float
    children: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    store: "Store | None" = None  # read-only use: validate references to other resources, derive usage
    base_url: str = ""  # the emulator as this client reaches it, for data-plane URLs a resource points at

    @property
    def properties(self) -> dict[str, Any]:
        return self.resource.setdefault("properties", {})

    def add_child(self, type_segment: str, name: str, resource: dict[str, Any]) -> None:
        """Create a child resource alongside (a side effect, e.g. a storage account's default blob service)."""
        self.children.append((type_segment, name, resource))


@dataclass
class Call:
    """A POST action (or GET sub-resource) on an existing resource."""

    address: Address
    resource: dict[str, Any]  # the envelope as a GET would show it
    private: dict[str, Any]  # persisted after the action, so actions may change it (e.g. regenerateKey)
    request: Request
    now: float
    ctx: "Ctx | None" = None  # for actions that start a long-running operation or read other operations


ActionFn = Callable[[Any, Call], Reply]
F = TypeVar("F", bound=ActionFn)


def action(name: str, method: str = "POST") -> Callable[[F], F]:
    """Mark a behaviour method as the handler of ``{method} {resource id}/{name}``."""

    def mark(function: F) -> F:
        function.__emulator_action__ = (method.upper(), name.lower())  # type: ignore[attr-defined]
        return function

    return mark


class Behaviour:
    """Defaults are the generic ARM resource: synchronous, echoed, Succeeded at once."""

    type: ClassVar[str] = ""  # canonical spelling, "Namespace/type[/childType]"
    on_create: ClassVar[Answer] = SYNC_CREATED
    on_update: ClassVar[Answer] = SYNC_OK
    on_delete: ClassVar[Answer] = DELETED
    latency: ClassVar[float] = 0.0  # base seconds a create/update runs (only for answers with a monitor)
    delete_latency: ClassVar[float] = 0.0
    create_states: ClassVar[tuple[str, ...]] = ("Creating",)
    update_states: ClassVar[tuple[str, ...]] = ("Updating",)
    delete_states: ClassVar[tuple[str, ...]] = ("Deleting",)
    requires_location: ClassVar[bool] = False
    # The service answers the location as it was sent ("East US"), not in ARM's short form (Data Factory, Web).
    echo_location: ClassVar[bool] = False
    # Service-generated fields of the real response: a type whose answer has none of them turns them off.
    provisioning_state: ClassVar[bool] = True  # properties.provisioningState
    system_data: ClassVar[bool] = True  # systemData: createdAt/By(Type), lastModifiedAt/By(Type)
    etag: ClassVar[bool] = True  # a new W/"…" on every write (a type with its own scheme sets it in fill)
    delete_missing: ClassVar[int | None] = 204  # status for DELETE of nothing; None answers not_found
    actions: ClassVar[dict[tuple[str, str], str]] = {}  # (method, lower name) -> method name

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.actions = dict(cls.actions) | {
            marker: attr
            for attr, value in vars(cls).items()
            if (marker := getattr(value, "__emulator_action__", None)) is not None
        }

    def fill(self, put: Put) -> None:
        """Add defaults and validate; raise ArmError to refuse the write."""

    def removed(self, store: "Store", row: "Row", now: float) -> None:
        """The resource goes away with its container (a resource group delete); nothing remains by default."""

    def shown(self, call: Call) -> dict[str, Any]:
        """The resource as a GET answers it; a type adds what a query asks for (e.g. ``$expand``)."""
        return call.resource

    def not_found(self, address: Address) -> ArmError:
        where = f" under resource group '{address.resource_group}'" if address.resource_group else ""
        return ArmError(
            404,
            "ResourceNotFound",
            f"The Resource '{address.display}'{where} was not found. "
            "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        )

    def listing(self, ctx: "Ctx", address: Address) -> Reply | None:
        """A collection the service computes for the caller instead of storing (its permissions at a scope);
        None lists the stored resources."""
        return None

    def run_action(self, method: str, name: str, call: Call) -> Reply | None:
        attr = self.actions.get((method.upper(), name.lower()))
        return None if attr is None else getattr(self, attr)(call)


GENERIC = Behaviour()
_REGISTRY: dict[str, Behaviour] = {}
B = TypeVar("B", bound=type[Behaviour])


def register(cls: B) -> B:
    """Class decorator: make ``cls`` the behaviour of ``cls.type``."""
    _REGISTRY[cls.type.lower()] = cls()
    return cls


def behaviour_for(type_: str) -> Behaviour:
    return _REGISTRY.get(type_.lower(), GENERIC)


def canonical_type(type_: str) -> str | None:
    """The registered spelling of a type, if a behaviour declares it."""
    found = _REGISTRY.get(type_.lower())
    return found.type if found else None
